import { z } from 'zod';

/**
 * The name of an uploaded file as the client gives it: kept for display and downloads only, never
 * used as a path, and still refused when it looks like one (a/b, ..\x), has characters Windows
 * refuses, or control characters (ASVS 5.3.2).
 */
export const uploadFileName = z
  .string()
  .min(1)
  .max(200, '文件名过长')
  .refine((n) => !/[\\/:*?"<>|]/.test(n) && ![...n].some((c) => c.charCodeAt(0) < 32), '文件名含有不允许的字符');
