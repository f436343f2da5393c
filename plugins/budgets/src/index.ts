import { createBudgetsPlugin } from './plugin';

export { createBudgetsPlugin, BUDGETS_PLUGIN_NAME, THRESHOLD_EVENT, type BudgetsPluginOptions, type BudgetsService } from './plugin';
export { budgetPolicyConfigSchema, budgetsPluginConfigSchema, type BudgetPolicyConfig, type BudgetsPluginConfig } from './policy-config';
export { WindowClock, WINDOW_TTL_SECONDS } from './window-key';
export { MemoryBudgetLedger } from './memory-ledger';
export { RedisBudgetLedger } from './redis-ledger';
export type { BudgetLedger, CommitResult, ReserveResult, ThresholdMark } from './ledger';
export { signWebhookBody, WebhookSender } from './webhook';

/** Loaded by name from config: each gateway gets its own instance (no module-level state). */
export const createPlugin = createBudgetsPlugin;
