'use client';
import { useEffect, useRef, useState } from 'react';
import type { Problem } from './errors';
import { useFocusProblem } from './useFocusProblem';
import { useHydrated } from './useHydrated';

/**
 * What a form tells its user: its problem, with focus on what to fix (useFocusProblem, within
 * `formRef`), and its result, focused once `done` turns truthy (put `resultRef` on the element that
 * says so) so a screen reader reads it. `hydrated`: the submit stays disabled until then.
 */
export function useFormFeedback<Result extends HTMLElement>(
  done: unknown,
  initialProblem: Problem | null = null,
) {
  const [problem, setProblem] = useState<Problem | null>(initialProblem);
  const formRef = useRef<HTMLFormElement>(null);
  const resultRef = useRef<Result>(null);
  const hydrated = useHydrated();
  useFocusProblem(problem, formRef);
  useEffect(() => {
    if (done) resultRef.current?.focus();
  }, [done]);
  return { problem, setProblem, formRef, resultRef, hydrated };
}
