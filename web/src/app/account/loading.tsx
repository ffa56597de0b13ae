import { SkeletonPage } from '@/components/Skeleton';

export default function Loading() {
  return <SkeletonPage label="Loading your account" kind="list" />;
}
