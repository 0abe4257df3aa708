export { type AlertNotification, describeNotification, postWithRetry } from './actions';
export {
  AlertEvaluator,
  type AlertEvent,
  alertHistory,
  type Evaluation,
  type EvaluatorOptions,
  ruleState,
  type RuleState,
  runEvery,
} from './evaluate';
export {
  type AlertAction,
  type AlertCondition,
  type AlertRule,
  type AlertRuleInput,
  createRule,
  deleteRule,
  getRule,
  listRules,
  parseCondition,
  updateRule,
} from './rules';
export { DEFAULT_WEBHOOK_POLICY, WEBHOOK_NOT_DELIVERED, webhookPolicy, type WebhookPolicy } from './webhook';
