import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJsonSyntaxError } from '../../src/api/http/gojson.ts';

test('Go encoding/json messages for broken bodies', () => {
  const cases: [string, string][] = [
    ['{"apiVersion":"v1","kind":"Pod', 'unexpected end of JSON input'],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['{} x', "invalid character 'x' after top-level value"],
    ['nul', 'unexpected end of JSON input'],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ['', 'unexpected end of JSON input'],
  ];
  for (const [text, message] of cases) assert.equal(goJsonSyntaxError(text), message, text);
});
