import { describe, expect, it } from 'vitest';
import type { EmailTemplate } from './email/template.js';
import { collectRegistries, type FeatureModule } from './module.js';
import { featureModules, registries } from './modules.js';

const template: EmailTemplate<Record<string, never>> = {
  name: 'test.same',
  render: () => ({ subject: 's', text: 't', html: '<p>h</p>' }),
};

describe('feature modules', () => {
  it('have distinct names, and every registry entry comes from a module', () => {
    const names = featureModules.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(registries.jobHandlers).sort()).toEqual([
      'data_jobs.process',
      'feeds.scan',
      'feeds.take',
      'invitations.expire',
      'invitations.remind',
      'maintenance.cleanup',
      'notifications.approval_digest',
      'notifications.join_request_digest',
    ]);
    // a periodic job is queued by the worker: its handler must be registered
    for (const job of registries.periodicJobs) expect(registries.jobHandlers[job.name]).toBeTypeOf('function');
    expect(Object.keys(registries.emailTemplates).sort()).toEqual([
      'community_invitation',
      'feed_run',
      'invitation_reminder',
      'notification_account_approved',
      'notification_approval_queue',
      'notification_join_request',
      'notification_join_request_digest',
      'notification_request_approved',
      'sign_in_code',
      'test_email',
    ]);
    expect(registries.routes).toHaveLength(featureModules.filter((m) => m.routes).length);
  });

  it('refuses a job or template name registered by two modules', () => {
    const a: FeatureModule = { name: 'a', emailTemplates: { 'test.same': template } };
    const b: FeatureModule = { name: 'b', emailTemplates: { 'test.same': template } };
    expect(() => collectRegistries([a, b])).toThrow(/"test.same" is registered twice \(b\)/);
    const job: FeatureModule = { name: 'c', jobHandlers: { 'maintenance.cleanup': async () => {} } };
    expect(() => collectRegistries([job])).toThrow(/"maintenance.cleanup" is registered twice \(c\)/);
  });

  it('gathers every module’s cleanup for the maintenance job', () => {
    const modules: FeatureModule[] = [
      { name: 'a', cleanup: async () => ({ aRows: 1 }) },
      { name: 'b' },
      { name: 'c', cleanup: async () => ({ cRows: 2 }) },
    ];
    expect(collectRegistries(modules).cleanupTasks).toHaveLength(2);
  });
});
