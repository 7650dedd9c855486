import {
  isMainlandMobile,
  isResidentIdNumber,
  isUnifiedSocialCreditCode,
  maskIdNumber,
  maskPhone,
  personalDigest,
  residentIdCheckChar,
} from '../../src/lib/personal-data';

describe('resident identity numbers', () => {
  it('accepts the GB 11643 published example and computes its check character', () => {
    expect(isResidentIdNumber('11010519491231002X')).toBe(true);
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });
  it('rejects a wrong check digit, a bad date and a wrong length', () => {
    expect(isResidentIdNumber('110105194912310021')).toBe(false);
    expect(isResidentIdNumber('110105194902300026')).toBe(false);
    expect(isResidentIdNumber('11010519491231002')).toBe(false);
  });
});

describe('unified social credit codes', () => {
  it('accepts a valid code and rejects a changed check character', () => {
    expect(isUnifiedSocialCreditCode('91350100M000100Y43')).toBe(true);
    expect(isUnifiedSocialCreditCode('91350100M000100Y44')).toBe(false);
    expect(isUnifiedSocialCreditCode('91350100M000100I43')).toBe(false);
  });
});

describe('phones, masks and digests', () => {
  it('validates mainland mobiles', () => {
    expect(isMainlandMobile('13912345678')).toBe(true);
    expect(isMainlandMobile('12912345678')).toBe(false);
    expect(isMainlandMobile('1391234567')).toBe(false);
  });
  it('masks as the API conventions show', () => {
    expect(maskIdNumber('50010119800101123X')).toBe('5001**********123X');
    expect(maskPhone('13912345678')).toBe('139****5678');
  });
  it('digests case-insensitively and depends on the key', () => {
    expect(personalDigest('k1', '11010519491231002x')).toBe(
      personalDigest('k1', '11010519491231002X'),
    );
    expect(personalDigest('k1', 'a')).not.toBe(personalDigest('k2', 'a'));
  });
});
