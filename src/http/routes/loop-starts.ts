import { z } from 'zod';
import { route } from '../route.ts';

const adhocStart = z.strictObject({
  // Made once per form in the browser: a repeated click starts nothing new.
  requestId: z.uuid('请求编号格式错误'),
  reason: z.string().trim().min(1, '请说明事由').max(500, '事由不超过 500 字'),
});

/** 第九、十四条: an ad-hoc 联席会议 or 督办事项专报, through the same processes as the calendar's. */
export const loopStartRoutes = [
  route({
    method: 'post',
    path: '/api/meetings/adhoc',
    summary: 'The convener (a leader) or the office calls an ad-hoc joint meeting; audited with its reason',
    access: ['leader', 'peace_office'],
    scope: 'none',
    body: adhocStart,
    status: 202,
    handler: ({ actor, body, services }) => services.adhocStarts.startMeeting(actor, body),
  }),
  route({
    method: 'post',
    path: '/api/bulletins/adhoc',
    summary: 'The office starts an ad-hoc 督办事项专报 over all items; audited with its reason',
    access: ['peace_office'],
    scope: 'none',
    body: adhocStart,
    status: 202,
    handler: ({ actor, body, services }) => services.adhocStarts.startBulletin(actor, body),
  }),
];
