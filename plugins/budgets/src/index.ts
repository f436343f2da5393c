import { createBudgetsPlugin } from './plugin';

export { createBudgetsPlugin, BUDGETS_PLUGIN_NAME, THRESHOLD_EVENT, type BudgetsPluginOptions, type BudgetsService } from './plugin';
export { budgetPolicyConfigSchema, budgetsPluginConfigSchema, type BudgetPolicyConfig, type BudgetsPluginConfig } from './policy-config';
export { WindowClock, WINDOW_TTL_SECONDS } from './window-key';
export { MemoryBudgetLedger } from './memory-ledger';
export { RedisBudgetLedger } from './redis-ledger';
export type { BudgetLedger, CommitResult, ReserveResult, ThresholdMark } from './ledger';
export { signWebhookBody, WebhookSender } from './webhook';

/** The instance the plugin loader picks up (one gateway per process); use the factory for more. */
export const plugin = createBudgetsPlugin();
export default plugin;
