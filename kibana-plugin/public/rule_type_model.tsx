import { EuiFieldNumber, EuiFieldText, EuiFlexGroup, EuiFlexItem, EuiFormRow, EuiSelect } from '@elastic/eui';
import { useEffect, useState } from 'react';
import { RULE_TYPE_ID } from '../common';
import type { RuleTypeModel, RuleTypeParams, RuleTypeParamsExpressionProps, ValidationResult } from '../kibana_api/public';
import { buildRequest, fromSavedQuery, QUESTION_TYPES, QUESTIONS, toSavedQuery, type Question, type QuestionType } from './app/questions';

/**
 * The server rule type's params (kibana-plugin/server/rule_type.ts
 * `FleetQueryParams`: kind, params, threshold). The Rules UI hands in whatever
 * a stored rule holds, so they are read defensively.
 */
type FleetQueryRuleParams = RuleTypeParams;

const DEFAULT_QUESTION: Question = { type: 'kernel', value: '' };

/** The question a rule's params ask (undefined when the params are no question the app has a form for). */
function questionOf(p: FleetQueryRuleParams): Question | undefined {
  const params = p.params !== null && typeof p.params === 'object' ? (p.params as Record<string, unknown>) : {};
  return typeof p.kind === 'string' && p.kind ? fromSavedQuery(p.kind, params) : undefined;
}

/**
 * Checks params the way the Rules UI asks (`validate` → `{errors}`, one array
 * of messages per field; empty arrays mean valid), with the app's own
 * question checks, so the form and the Fleet screen reject the same inputs.
 */
export function validateRuleParams(p: FleetQueryRuleParams): ValidationResult {
  const errors: Record<string, string[]> = { question: [], threshold: [] };
  const q = questionOf(p);
  if (!q) {
    errors.question.push(
      typeof p.kind === 'string' && p.kind
        ? `this rule's query (kind "${p.kind}") has no question form here: edit it in the Mitra app`
        : 'choose a question and enter its value',
    );
  } else {
    const built = buildRequest(q);
    if (!built.ok) errors.question.push(built.error);
  }
  const t = p.threshold ?? 0;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0)
    errors.threshold.push(`threshold "${String(t)}" must be a whole number of matches (0 fires on any match)`);
  return { errors };
}

/** The params form in Kibana's "Create rule" flyout: the Fleet screen's questions, plus the match threshold. */
export function FleetQueryParamsForm({ ruleParams, setRuleParams, errors }: RuleTypeParamsExpressionProps<FleetQueryRuleParams>) {
  const [question, setQuestion] = useState<Question>(() => questionOf(ruleParams) ?? DEFAULT_QUESTION);
  const spec = QUESTIONS[question.type];
  useEffect(() => {
    const saved = toSavedQuery(question);
    setRuleParams('kind', saved.kind);
    setRuleParams('params', saved.params);
    if (ruleParams.threshold === undefined) setRuleParams('threshold', 0);
    // setRuleParams is recreated by the flyout on every render; the question is what changes.
  }, [question.type, question.value, question.extra]);
  const questionErrors = asList(errors.question);
  const thresholdErrors = asList(errors.threshold);
  return (
    <EuiFlexGroup direction="column" gutterSize="s" data-test-subj="mitra-rule-params">
      <EuiFlexItem>
        <EuiFormRow label="Question" fullWidth>
          <EuiSelect
            fullWidth
            data-test-subj="mitra-rule-question-type"
            options={QUESTION_TYPES.map((t) => ({ value: t, text: QUESTIONS[t].label }))}
            value={question.type}
            onChange={(e) => setQuestion({ type: e.target.value as QuestionType, value: question.value })}
          />
        </EuiFormRow>
      </EuiFlexItem>
      <EuiFlexItem>
        <EuiFormRow label={spec.valueLabel} fullWidth isInvalid={questionErrors.length > 0} error={questionErrors}>
          <EuiFieldText
            fullWidth
            data-test-subj="mitra-rule-question-value"
            placeholder={spec.placeholder}
            value={question.value}
            isInvalid={questionErrors.length > 0}
            onChange={(e) => setQuestion({ ...question, value: e.target.value })}
          />
        </EuiFormRow>
      </EuiFlexItem>
      {spec.extraLabel && (
        <EuiFlexItem>
          <EuiFormRow label={spec.extraLabel} fullWidth>
            <EuiFieldText
              fullWidth
              data-test-subj="mitra-rule-question-extra"
              placeholder={spec.extraPlaceholder}
              value={question.extra ?? ''}
              onChange={(e) => setQuestion({ ...question, ...(e.target.value ? { extra: e.target.value } : { extra: undefined }) })}
            />
          </EuiFormRow>
        </EuiFlexItem>
      )}
      <EuiFlexItem>
        <EuiFormRow
          label="Fire when more than this many match"
          helpText="0 fires on any match"
          isInvalid={thresholdErrors.length > 0}
          error={thresholdErrors}
        >
          <EuiFieldNumber
            data-test-subj="mitra-rule-threshold"
            min={0}
            step={1}
            value={typeof ruleParams.threshold === 'number' ? ruleParams.threshold : ''}
            onChange={(e) => setRuleParams('threshold', e.target.value === '' ? undefined : Number(e.target.value))}
          />
        </EuiFormRow>
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}

function asList(e: unknown): string[] {
  if (Array.isArray(e)) return e.map(String);
  return typeof e === 'string' && e ? [e] : [];
}

/** "Mitra fleet query" in Kibana's Rules UI; the id is the server rule type's. */
export const fleetQueryRuleTypeModel: RuleTypeModel = {
  id: RULE_TYPE_ID,
  description: 'Mitra fleet query: fires per host when a fleet question (kernel, OS, packages, files, settings, drift) matches.',
  iconClass: 'search',
  documentationUrl: null,
  validate: validateRuleParams,
  ruleParamsExpression: FleetQueryParamsForm,
  requiresAppContext: false,
  defaultActionMessage: 'Mitra: {{context.host}} matched the fleet query ({{context.count}} matches, kind {{context.kind}})',
};
