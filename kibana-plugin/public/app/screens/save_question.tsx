import {
  EuiButton,
  EuiButtonEmpty,
  EuiCallOut,
  EuiFieldNumber,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlexItem,
  EuiForm,
  EuiFormRow,
  EuiLink,
  EuiPanel,
  EuiSelect,
} from '@elastic/eui';
import { useState, type FormEvent } from 'react';
import { useApi, useLink } from '../hooks';
import { describeQuestion, toSavedQuery, type Catalog, type Question } from '../questions';

import { ErrorCallOut } from '../components/status';

type Mode = 'closed' | 'search' | 'rule';
type Condition = 'matches_above' | 'hosts_changed';

/** A valid name for a saved search or rule: what the stores accept as a document name. */
export const suggestName = (q: Question): string =>
  `${q.type}-${q.value}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);

/** The alert rule a question becomes: an inline query and a condition. */
export function ruleBody(catalog: Catalog, q: Question, name: string, condition: Condition, threshold: number) {
  return {
    name,
    description: describeQuestion(catalog, q),
    query: toSavedQuery(catalog, q),
    condition: condition === 'matches_above' ? { type: 'matches_above', threshold } : { type: 'hosts_changed' },
  };
}

/** "Save search" and "Create alert rule" from the question on screen. */
export function SaveQuestion({ catalog, question, currentCount }: { catalog: Catalog; question: Question; currentCount: number }) {
  const link = useLink();
  const api = useApi();
  const [mode, setMode] = useState<Mode>('closed');
  const [name, setName] = useState(suggestName(question));
  const [condition, setCondition] = useState<Condition>('matches_above');
  const [threshold, setThreshold] = useState(currentCount);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState<string>();

  const open = (m: Mode) => {
    setMode(m);
    setName(suggestName(question));
    setThreshold(currentCount);
    setError(undefined);
    setDone(undefined);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (mode === 'search')
        await api.post('/saved', { name, description: describeQuestion(catalog, question), ...toSavedQuery(catalog, question) });
      else await api.post('/alerts/rules', ruleBody(catalog, question, name, condition, threshold));
      setDone(mode === 'search' ? `Saved search "${name}" created` : `Alert rule "${name}" created`);
      setMode('closed');
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <EuiFlexGroup gutterSize="s" responsive={false} justifyContent="flexEnd">
        <EuiFlexItem grow={false}>
          <EuiButtonEmpty iconType="save" onClick={() => open('search')} data-test-subj="save-search">
            Save search
          </EuiButtonEmpty>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiButtonEmpty iconType="bell" onClick={() => open('rule')} data-test-subj="create-rule">
            Create alert rule
          </EuiButtonEmpty>
        </EuiFlexItem>
      </EuiFlexGroup>
      {done && (
        <EuiCallOut title={done} color="success" iconType="check" size="s" data-test-subj="save-done">
          <EuiLink {...link({ screen: 'saved', tab: done.startsWith('Saved') ? 'searches' : 'rules' })}>
            Open saved searches & rules
          </EuiLink>
        </EuiCallOut>
      )}
      {mode !== 'closed' && (
        <EuiPanel hasBorder paddingSize="s">
          <EuiForm
            component="form"
            onSubmit={submit}
            data-test-subj="save-form"
            aria-label={mode === 'search' ? 'Save search' : 'Create alert rule'}
          >
            <EuiFormRow label="Name" helpText="Lowercase letters, digits and dashes">
              <EuiFieldText value={name} onChange={(e) => setName(e.target.value)} data-test-subj="save-name" autoFocus />
            </EuiFormRow>
            {mode === 'rule' && (
              <>
                <EuiFormRow label="Fire when">
                  <EuiSelect
                    data-test-subj="rule-condition"
                    value={condition}
                    onChange={(e) => setCondition(e.target.value as Condition)}
                    options={[
                      { value: 'matches_above', text: 'more hosts match than' },
                      { value: 'hosts_changed', text: 'the set of matching hosts changes' },
                    ]}
                  />
                </EuiFormRow>
                {condition === 'matches_above' && (
                  <EuiFormRow label="Threshold" helpText={`Now ${currentCount} match`}>
                    <EuiFieldNumber
                      data-test-subj="rule-threshold"
                      min={0}
                      value={threshold}
                      onChange={(e) => setThreshold(Number(e.target.value))}
                    />
                  </EuiFormRow>
                )}
              </>
            )}
            {error && <ErrorCallOut title="Could not save" error={error} />}
            <EuiFlexGroup gutterSize="s" responsive={false}>
              <EuiFlexItem grow={false}>
                <EuiButton type="submit" fill isLoading={busy} data-test-subj="save-submit">
                  {mode === 'search' ? 'Save' : 'Create rule'}
                </EuiButton>
              </EuiFlexItem>
              <EuiFlexItem grow={false}>
                <EuiButtonEmpty onClick={() => setMode('closed')}>Cancel</EuiButtonEmpty>
              </EuiFlexItem>
            </EuiFlexGroup>
          </EuiForm>
        </EuiPanel>
      )}
    </div>
  );
}
