export * from './rules';
export * from './actions';
export * from './evaluate';
export { DEFAULT_WEBHOOK_POLICY, isSpecial, WEBHOOK_NOT_DELIVERED, webhookPolicy, type WebhookPolicy } from './webhook';
