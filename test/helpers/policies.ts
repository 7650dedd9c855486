import { bearer, type TestApp } from './test-app';

/**
 * Makes the active policy with `changes` the champion, as the risk team would: a draft cloned by
 * one risk key, published by another (four eyes), activated. Answers the new policy's id.
 */
export async function makeChampion(
  t: TestApp,
  changes: Record<string, unknown>,
  keys: { author: string; publisher: string },
): Promise<string> {
  const active = await t.http.get('/v1/policies/active').set(bearer(keys.author));
  const draft = await t.http
    .post('/v1/policies')
    .set(bearer(keys.author))
    .send({ cloneOf: active.body.id, changes });
  if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${JSON.stringify(draft.body)}`);
  const published = await t.http
    .post(`/v1/policies/${draft.body.id}/publish`)
    .set(bearer(keys.publisher));
  if (published.body.status !== 'published')
    throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  const activated = await t.http
    .post(`/v1/policies/${draft.body.id}/activate`)
    .set(bearer(keys.author))
    .send({ role: 'champion' });
  if (activated.status !== 200) throw new Error(`activate: ${activated.status}`);
  return draft.body.id as string;
}
