import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Actor, Role } from '../services/actor.ts';
import type { Services } from '../services/index.ts';

/**
 * Every HTTP route is a row of this table. Access is declared, never implied: deny by default.
 * `scope` documents how the handler narrows data to the caller's department (checked by the
 * authorization-matrix test): 'own-department' routes must answer 404 for a foreign record.
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface RouteContext<B, Q, P> {
  actor: Actor;
  body: B;
  query: Q;
  params: P;
  services: Services;
  req: Request;
  res: Response;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  access: Access;
  scope: 'none' | 'own-department' | 'own-user';
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  status?: number;
  /** Writes a custom response itself (downloads, redirects) instead of returning JSON. */
  raw?: boolean;
  handler(ctx: RouteContext<B, Q, P>): Promise<unknown>;
}

export function route<B = undefined, Q = undefined, P = undefined>(spec: RouteSpec<B, Q, P>): RouteSpec<B, Q, P> {
  return spec;
}
