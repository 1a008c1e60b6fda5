import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelSelector, parseRequirements } from '../../src/api/selectors/labels.ts';
import { formatLabelSelector, labelSelectorFromMeta, labelSelectorString } from '../../src/api/selectors/labelselector.ts';
import { requirementString } from '../../src/api/selectors/requirement.ts';
import { ApiError } from '../../src/api/errors.ts';

function badRequest(selector: string): string {
  try {
    parseLabelSelector(selector);
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
  assert.fail(`selector ${JSON.stringify(selector)} parsed`);
}

describe('label selector matching', () => {
  const web = { app: 'web', tier: 'front' };
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['app=web', web, true],
    ['app==web', web, true],
    ['app = web', web, true],
    ['app!=web', web, false],
    ['app!=db', web, true],
    ['app!=web', {}, true],
    ['app=web,tier=back', web, false],
    ['app in (web, db)', web, true],
    ['app notin (web)', web, false],
    ['app notin (web)', undefined, true],
    ['tier', web, true],
    ['!tier', web, false],
    ['!canary', web, true],
    ['app=', { app: '' }, true],
    ['app in ()', { app: '' }, true],
    ['in=x', { in: 'x' }, true],
    ['replicas>2', { replicas: '3' }, true],
    ['replicas<2', { replicas: '3' }, false],
    ['replicas>2', { replicas: 'x' }, false],
    ['', web, true],
    ['constructor', {}, false],
  ];
  for (const [selector, labels, want] of cases) {
    test(`${JSON.stringify(selector)} on ${JSON.stringify(labels)} → ${want}`, () => {
      assert.equal(parseLabelSelector(selector)(labels), want);
    });
  }
});

describe('label selector errors (labels.Parse texts)', () => {
  test('two words: the second is read as an operator', () => {
    assert.equal(badRequest('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
  });
  test('two requirements without a comma', () => {
    assert.equal(badRequest('a=b c'), "found 'c', expected: ',' or 'end of string'");
  });
  test('missing operator value list', () => {
    assert.equal(badRequest('a in b'), "unable to parse requirement: found 'b' expected: '('");
  });
  test('unknown operator', () => {
    assert.equal(badRequest('a (x)'), "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt");
  });
  test('trailing comma', () => {
    assert.equal(badRequest('a=b,'), "found '', expected: identifier after ','");
  });
  test('leading operator', () => {
    assert.equal(badRequest('=a'), "found '=', expected: !, identifier, or 'end of string'");
  });
  test('invalid key is a field error with a nil path', () => {
    assert.equal(
      badRequest('a@b=c'),
      `unable to parse requirement: <nil>: Invalid value: "a@b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  });
  test('invalid value names the values path', () => {
    assert.equal(
      badRequest('app=a@b'),
      `unable to parse requirement: values[0][app]: Invalid value: "a@b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  });
  test('prefix of a key must be a DNS subdomain', () => {
    assert.match(badRequest('Example.com/app=x'), /^unable to parse requirement: <nil>: Invalid value: "Example.com\/app": prefix part a lowercase RFC 1123 subdomain/);
  });
});

describe('requirements', () => {
  test('sorted by key, values sorted and deduplicated, printed back', () => {
    const reqs = parseRequirements('z in (b,a,b),a=1,!m');
    assert.deepEqual(reqs.map(requirementString), ['a=1', '!m', 'z in (a,b)']);
  });
  test('empty values from commas', () => {
    assert.deepEqual(parseRequirements('k in (,a)')[0].values, ['', 'a']);
  });
});

describe('metav1.LabelSelector', () => {
  const selector = {
    matchLabels: { app: 'web' },
    matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'canary', operator: 'DoesNotExist' }],
  };
  test('matches like LabelSelectorAsSelector', () => {
    const match = labelSelectorFromMeta(selector);
    assert.equal(match({ app: 'web', tier: 'a' }), true);
    assert.equal(match({ app: 'web', tier: 'a', canary: '' }), false);
    assert.equal(match({ app: 'web' }), false);
  });
  test('a missing selector selects nothing, an empty one everything', () => {
    assert.equal(labelSelectorFromMeta(undefined)({ a: 'b' }), false);
    assert.equal(labelSelectorFromMeta({})({ a: 'b' }), true);
  });
  test('printed as kubectl shows it', () => {
    assert.equal(labelSelectorString(selector), 'app=web,!canary,tier in (a,b)');
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
  });
  test('an invalid selector throws with the Kubernetes message', () => {
    assert.throws(() => labelSelectorFromMeta({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
      message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    });
  });
});
