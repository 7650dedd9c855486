/** The API's vocabulary in both languages. */
import { tr } from './i18n';

export const productName = (p: string): string =>
  ({
    operator_guarantee: tr('市场方担保贷款', 'Market-operator-guaranteed loan'),
    joint_guarantee: tr('联保贷款', 'Joint-guarantee loan'),
    credit_loan: tr('信用贷款', 'Unsecured credit loan'),
    credit_card: tr('大额信用卡', 'Large-limit credit card'),
    any: tr('不限（按评估推荐）', 'Any (as the model suggests)'),
  })[p] ?? p;

export const outcomeName = (o: string): string =>
  ({
    approve: tr('批准', 'Approved'),
    refer: tr('转人工审核', 'Referred for review'),
    decline: tr('拒绝', 'Declined'),
  })[o] ?? o;

export const methodName = (m: string): string =>
  ({
    equal_instalment: tr('等额本息', 'Equal instalments'),
    equal_principal: tr('等额本金', 'Equal principal'),
    revolving: tr('循环额度', 'Revolving'),
  })[m] ?? m;

export const statusName = (s: string): string =>
  ({
    submitted: tr('已提交', 'Submitted'),
    approved: tr('已批准', 'Approved'),
    referred: tr('审核中', 'Referred'),
    declined: tr('已拒绝', 'Declined'),
    accepted: tr('已接受', 'Accepted'),
    closed: tr('已结清', 'Closed'),
    withdrawn: tr('已撤回', 'Withdrawn'),
    pending: tr('待定', 'Pending'),
    offered: tr('可接受', 'Offered'),
    booked: tr('已放款', 'Booked'),
    expired: tr('已过期', 'Expired'),
    draft: tr('草稿', 'Draft'),
    published: tr('已发布', 'Published'),
    active: tr('生效中', 'Active'),
    retired: tr('已退役', 'Retired'),
  })[s] ?? s;

/** A simulation's swap kind ("approveToDecline"): the champion's outcome → the candidate's. */
export const swapName = (kind: string): string => {
  const m = /^(approve|refer|decline)To(Approve|Refer|Decline)$/.exec(kind);
  return m
    ? `${outcomeName(m[1] as string)} → ${outcomeName((m[2] as string).toLowerCase())}`
    : kind;
};
