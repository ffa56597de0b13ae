'use client';
import { type RefObject, useEffect } from 'react';
import type { Problem } from './errors';

/**
 * After a submit that failed, focus goes to the first field in error, else to the error notice,
 * so keyboard and screen reader users land on what to fix (not on the page's body).
 */
export function useFocusProblem(problem: Problem | null, container: RefObject<HTMLElement | null>) {
  useEffect(() => {
    if (!problem) return;
    const target = container.current?.querySelector<HTMLElement>('[aria-invalid="true"], .notice-error');
    target?.focus();
  }, [problem, container]);
}
