import { EuiFieldNumber, EuiFieldText, EuiFlexGroup, EuiFlexItem, EuiFormRow, EuiSelect } from '@elastic/eui';
import { useEffect, useState } from 'react';
import { RULE_TYPE_ID } from '../common';
import type { RuleTypeModel, RuleTypeParams, RuleTypeParamsExpressionProps, ValidationResult } from '../kibana_api/public';
import type { MitraApi } from './api';
import { loadCatalog } from './app/hooks';
import { buildRequest, formSpec, formSpecs, fromSavedQuery, placeholder, toSavedQuery, type Catalog, type Question } from './app/questions';

/**
 * The server rule type's params (kibana-plugin/server/rule_type.ts
 * `FleetQueryParams`: kind, params, threshold). The Rules UI hands in whatever
 * a stored rule holds, so they are read defensively.
 */
type FleetQueryRuleParams = RuleTypeParams;

/** The question a rule's params ask (undefined when the params are no question the app has a form for). */
function questionOf(catalog: Catalog, p: FleetQueryRuleParams): Question | undefined {
  const params = p.params !== null && typeof p.params === 'object' ? (p.params as Record<string, unknown>) : {};
  return typeof p.kind === 'string' && p.kind ? fromSavedQuery(catalog, p.kind, params) : undefined;
}

/**
 * Checks params the way the Rules UI asks (`validate` → `{errors}`, one array
 * of messages per field; empty arrays mean valid) against the question
 * catalog's forms. The values themselves are checked by the server rule
 * type with the catalog's declared shapes when the rule is saved.
 */
export function validateRuleParams(p: FleetQueryRuleParams, catalog: Catalog | undefined = loadedCatalog): ValidationResult {
  const errors: Record<string, string[]> = { question: [], threshold: [] };
  const q = catalog ? questionOf(catalog, p) : undefined;
  if (!catalog) errors.question.push('the question list is still loading');
  else if (!q) {
    errors.question.push(
      typeof p.kind === 'string' && p.kind
        ? `this rule's query (kind "${p.kind}") has no question form here: edit it in the Mitra app`
        : 'choose a question and enter its value',
    );
  } else {
    const built = buildRequest(catalog, q);
    if (!built.ok) errors.question.push(built.error);
  }
  const t = p.threshold ?? 0;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0)
    errors.threshold.push(`threshold "${String(t)}" must be a whole number of matches (0 fires on any match)`);
  return { errors };
}

/** The catalog once the params form has it (Kibana's `validate` is synchronous). */
let loadedCatalog: Catalog | undefined;

/** The params form in Kibana's "Create rule" flyout: the catalog's questions (GET /api/mitra/questions), plus the match threshold. */
export function paramsForm(api: () => Promise<MitraApi>) {
  return function FleetQueryParamsForm(props: RuleTypeParamsExpressionProps<FleetQueryRuleParams>) {
    const [catalog, setCatalog] = useState<Catalog | undefined>(loadedCatalog);
    const [problem, setProblem] = useState<string>();
    useEffect(() => {
      if (catalog) return;
      api()
        .then(loadCatalog)
        .then(
          (c) => setCatalog((loadedCatalog = c)),
          (e: Error) => setProblem(`the question list could not be read: ${e.message}`),
        );
    }, []);
    if (!catalog) return <p data-test-subj="mitra-rule-loading">{problem ?? 'Loading questions…'}</p>;
    return <CatalogParamsForm catalog={catalog} {...props} />;
  };
}

function CatalogParamsForm({
  catalog,
  ruleParams,
  setRuleParams,
  errors,
}: RuleTypeParamsExpressionProps<FleetQueryRuleParams> & { catalog: Catalog }) {
  const specs = formSpecs(catalog);
  const [question, setQuestion] = useState<Question>(
    () => questionOf(catalog, ruleParams) ?? { type: formSpec(catalog, 'kernel') ? 'kernel' : specs[0].form.id, value: '' },
  );
  const spec = formSpec(catalog, question.type) ?? specs[0];
  useEffect(() => {
    const saved = toSavedQuery(catalog, question);
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
            options={specs.map((s) => ({ value: s.form.id, text: s.form.label }))}
            value={spec.form.id}
            onChange={(e) => setQuestion({ type: e.target.value, value: question.value })}
          />
        </EuiFormRow>
      </EuiFlexItem>
      <EuiFlexItem>
        <EuiFormRow
          label={spec.value.label}
          helpText={spec.value.help}
          fullWidth
          isInvalid={questionErrors.length > 0}
          error={questionErrors}
        >
          <EuiFieldText
            fullWidth
            data-test-subj="mitra-rule-question-value"
            placeholder={placeholder(spec.value, spec.form.defaults)}
            value={question.value}
            isInvalid={questionErrors.length > 0}
            onChange={(e) => setQuestion({ ...question, value: e.target.value })}
          />
        </EuiFormRow>
      </EuiFlexItem>
      {spec.extra && (
        <EuiFlexItem>
          <EuiFormRow label={spec.extra.label} fullWidth>
            <EuiFieldText
              fullWidth
              data-test-subj="mitra-rule-question-extra"
              placeholder={placeholder(spec.extra, spec.form.defaults)}
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

/** "Mitra fleet query" in Kibana's Rules UI; the id is the server rule type's. `api` reaches the Mitra routes (Kibana's http). */
export const fleetQueryRuleTypeModel = (api: () => Promise<MitraApi>): RuleTypeModel => ({
  id: RULE_TYPE_ID,
  description: 'Mitra fleet query: fires per host when a fleet question (kernel, OS, packages, files, settings, drift) matches.',
  iconClass: 'search',
  documentationUrl: null,
  validate: (p: FleetQueryRuleParams) => validateRuleParams(p),
  ruleParamsExpression: paramsForm(api),
  requiresAppContext: false,
  defaultActionMessage: 'Mitra: {{context.host}} matched the fleet query ({{context.count}} matches, kind {{context.kind}})',
});
