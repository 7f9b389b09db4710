/** Every feature's routes, registered by build(). One line per feature. */
import type { FastifyPluginAsync } from 'fastify';

export const featureRoutes: FastifyPluginAsync[] = [
];
