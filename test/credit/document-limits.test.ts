/**
 * A policy document's strings and lists have limits (issue #14: the published PolicyDocument
 * states them): those of the answers that show them, so a valid policy never breaks an answer.
 */
import { checkPolicy, defaultPolicyDocument } from '../../src/credit';
import { DOCUMENT_LIMITS } from '../../src/credit/document-limits';
import { MAX_LENGTH } from '../../src/platform/schemas';

const copy = () => JSON.parse(JSON.stringify(defaultPolicyDocument));
const paths = (doc: unknown) => {
  const r = checkPolicy(doc);
  return r.ok ? [] : r.problems.map((p) => p.path);
};

describe('policy document limits', () => {
  it('are the answers’ limits', () => {
    expect(DOCUMENT_LIMITS).toMatchObject({
      code: MAX_LENGTH.code,
      name: MAX_LENGTH.name,
      text: MAX_LENGTH.text,
    });
  });

  it('the default policy is within them; a text, a name or a code beyond them is a problem at its path', () => {
    expect(paths(copy())).toEqual([]);
    const doc = copy();
    doc.name = 'n'.repeat(DOCUMENT_LIMITS.name + 1);
    doc.knockouts[0].textEn = 'x'.repeat(DOCUMENT_LIMITS.text + 1);
    doc.knockouts[0].code = `A${'B'.repeat(DOCUMENT_LIMITS.code)}`;
    expect(paths(doc)).toEqual(
      expect.arrayContaining(['name', 'knockouts[0].textEn', 'knockouts[0].code']),
    );
    const atLimit = copy();
    atLimit.knockouts[0].textEn = 'x'.repeat(DOCUMENT_LIMITS.text);
    expect(paths(atLimit)).toEqual([]);
  });
});
