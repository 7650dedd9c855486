/**
 * The docs page's opening (issue #14 item 1): keys, the first application, money in fen, in
 * Chinese and English. Markdown, shown by Swagger UI above the operations.
 */
export const GETTING_STARTED = `Scores a merchant survey with a cash-flow credit model and answers in the same request with a decision, its reasons and offers.

## 快速上手

1. **密钥**：管理员用 \`POST /v1/api-keys\` 签发密钥（信贷员 \`officer\` 绑定市场，合作方 \`partner\` 绑定合作方编号）。密钥只显示一次，请求时放在请求头 \`Authorization: Bearer mlk_…\`。首次 \`npm start\` 会打印每个角色的演示密钥。
2. **金额单位是"分"**：所有金额都是整数分（1 元 = 100 分），例如 50 万元写作 \`50000000\`；利率是基点（\`515\` 即 5.15%）。
3. **第一笔申请**：用 \`GET /v1/markets\` 找到市场，\`POST /v1/merchants\` 登记商户（或 \`GET /v1/merchants?q=\` 查找），再 \`POST /v1/applications\` 提交问卷和申请，并带上请求头 \`Idempotency-Key\`（网络不稳时用同一个值重试，只会生成一笔申请）。同一请求即返回决定、原因和授信方案。
4. **接受方案**：\`POST /v1/offers/{id}/accept\`（同样需要 \`Idempotency-Key\`）。每个额度都计入借款人的全部敞口：\`GET /v1/merchants/{id}/exposure\`；每个方案的 \`bindingLimit\` 说明是什么限制了额度。
5. **出错时**：返回统一的错误格式 \`{statusCode, code, message, messageZh, details}\`，\`details\` 指出出错的字段。

## Getting started

1. **Keys**: an admin issues keys with \`POST /v1/api-keys\` (an \`officer\` is bound to markets, a \`partner\` to its partner id). A key is shown once; send it as \`Authorization: Bearer mlk_…\`. The first \`npm start\` prints a demo key per role.
2. **Money is integer fen**: every amount is an integer number of fen (1 元 = 100 fen), e.g. 500,000 元 is \`50000000\`; rates are basis points (\`515\` is 5.15%).
3. **The first application**: find a market (\`GET /v1/markets\`), register the merchant (\`POST /v1/merchants\`, or find it with \`GET /v1/merchants?q=\`), then \`POST /v1/applications\` with the survey and the request and an \`Idempotency-Key\` header (retry with the same value on a weak network: it makes one application). The decision, its reasons and the offers come back in the same answer.
4. **Accept an offer**: \`POST /v1/offers/{id}/accept\` (with an \`Idempotency-Key\` too). Every limit counts everything the borrower already has: \`GET /v1/merchants/{id}/exposure\`; each offer's \`bindingLimit\` names what set its amount.
5. **Errors** have one shape, \`{statusCode, code, message, messageZh, details}\`; \`details\` names the failing fields.`;
