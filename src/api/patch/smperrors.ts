// Strategic merge patch failures with the status kube-apiserver gives each one
// (interpretStrategicMergePatchError): malformed directives are 400, lists of lists and
// retainKeys mismatches 422 with the text as a cause, and anything else reaches the client as
// a 500 carrying strategicpatch's own message.
import { ApiError, errors } from '../errors.ts';
import { goTypeName, goValue } from './goformat.ts';

export const smpErrors = {
  badJSONDoc: () => errors.badRequest('invalid JSON document'),
  badPrimitiveList: () => errors.badRequest('invalid patch format of primitive list'),
  badRetainKeys: () => errors.badRequest('invalid patch format of retainKeys'),
  badSetElementOrder: () => errors.badRequest('invalid patch format of setElementOrder list'),
  noListOfLists: () => unprocessable('lists of lists are not supported'),
  notMatchRetainKeys: () => unprocessable("patch content doesn't match retainKeys list"),
  noMergeKey: (m: Record<string, unknown>, key: string) =>
    failed(`map: ${goValue(m)} does not contain declared merge key: ${key}`),
  badPatchType: (t: unknown, m: Record<string, unknown>) => failed(`unknown patch type: ${goValue(t)} in map: ${goValue(m)}`),
  /** mergepatch.ErrBadArgType: `expected` is the Go type the code asserted. */
  badArgType: (expected: 'map' | 'slice', actual: unknown) =>
    failed(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(actual)}`),
  other: (message: string) => failed(message),
};

function unprocessable(message: string): ApiError {
  return new ApiError('Invalid', 422, 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message }],
  });
}

/** A plain Go error: kube-apiserver answers 500 with the error text as the message. */
function failed(message: string): ApiError {
  return new ApiError('InternalError', 500, message);
}
