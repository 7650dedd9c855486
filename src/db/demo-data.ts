import { residentIdCheckChar, usccCheckChar } from '../lib/personal-data';

/**
 * Demo data for the embedded default, modelled on the survey's two Chongqing markets
 * (shared/domain/PRIMER.md): Majiayan building materials, long tenure, large stock and a
 * working-capital gap; Kai'en furniture, younger shops, high margin, little stock.
 * Identity numbers are synthetic (valid check digits, no real person).
 */
export const demoOperators = [
  {
    id: 'opr_demo_majiayan',
    name: '重庆马家岩建材市场经营管理有限公司',
    // 3,000万元 guarantee capacity, 200万元 per merchant: the typical Majiayan gap is ~200万.
    capacity: 30_000_000_00,
    perMerchantCap: 2_000_000_00,
    maxTermMonths: 24,
    depositRatioBps: 1_000,
    agreementStatus: 'active' as const,
  },
  {
    id: 'opr_demo_kaien',
    name: '重庆铠恩家居市场管理有限公司',
    // Kai'en: few loan needs, all under 50万.
    capacity: 5_000_000_00,
    perMerchantCap: 500_000_00,
    maxTermMonths: 12,
    depositRatioBps: 1_500,
    agreementStatus: 'active' as const,
  },
];

export const demoMarkets = [
  {
    id: 'mkt_demo_majiayan',
    name: '马家岩建材市场 (Majiayan)',
    city: '重庆',
    category: 'building_materials' as const,
    operatorId: 'opr_demo_majiayan',
  },
  {
    id: 'mkt_demo_kaien',
    name: "铠恩家居 (Kai'en)",
    city: '重庆',
    category: 'furniture' as const,
    operatorId: 'opr_demo_kaien',
  },
];

const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
const uscc = (first17: string) => first17 + usccCheckChar(first17);

/** `sampleId` points at the merchant's survey in fixtures/survey-sample.json. */
export const demoMerchants = [
  {
    id: 'mer_demo_mjy01',
    sampleId: 'mjy-001',
    name: '张记瓷砖批发',
    idNumber: residentId('35052119780312301'),
    phone: '13908361201',
    marketId: 'mkt_demo_majiayan',
    stallNo: 'A-101',
    leaseEndsOn: '2028-10-31',
  },
  {
    id: 'mer_demo_mjy02',
    sampleId: 'mjy-002',
    name: '陈氏卫浴',
    idNumber: residentId('35058219800721402'),
    phone: '13908361202',
    marketId: 'mkt_demo_majiayan',
    stallNo: 'A-118',
    leaseEndsOn: '2027-05-31',
  },
  {
    id: 'mer_demo_mjy03',
    sampleId: 'mjy-015',
    name: '刘家板材',
    idNumber: residentId('33038119750102503'),
    phone: '13908361203',
    marketId: 'mkt_demo_majiayan',
    stallNo: 'B-203',
    leaseEndsOn: '2030-12-31',
  },
  {
    id: 'mer_demo_mjy04',
    sampleId: 'mjy-004',
    name: '黄记五金',
    idNumber: residentId('43052119820915604'),
    phone: '13908361204',
    marketId: 'mkt_demo_majiayan',
    stallNo: 'B-215',
    leaseEndsOn: '2029-03-31',
  },
  {
    id: 'mer_demo_mjy05',
    sampleId: 'mjy-005',
    name: '重庆吴氏涂料有限公司',
    idNumber: uscc('91500104MA60QW3C8'),
    phone: '13908361205',
    marketId: 'mkt_demo_majiayan',
    stallNo: 'C-008',
    leaseEndsOn: '2028-06-30',
  },
  {
    id: 'mer_demo_mjy06',
    sampleId: 'mjy-006',
    name: '重庆鑫达建材有限公司',
    idNumber: uscc('91500103MA5U7XK2B'),
    phone: '13908361206',
    marketId: 'mkt_demo_majiayan',
    stallNo: 'C-021',
    leaseEndsOn: '2029-09-30',
  },
  {
    id: 'mer_demo_kai01',
    sampleId: 'kaien-001',
    name: '林家实木家具',
    idNumber: residentId('50010319880205101'),
    phone: '13696201301',
    marketId: 'mkt_demo_kaien',
    stallNo: '1F-06',
    leaseEndsOn: '2029-11-30',
  },
  {
    id: 'mer_demo_kai02',
    sampleId: 'kaien-003',
    name: '简约软装',
    idNumber: residentId('50010619900618202'),
    phone: '13696201302',
    marketId: 'mkt_demo_kaien',
    stallNo: '1F-12',
    leaseEndsOn: '2028-02-29',
  },
  {
    id: 'mer_demo_kai03',
    sampleId: 'kaien-011',
    name: '欧式沙发馆',
    idNumber: residentId('50010819870927303'),
    phone: '13696201303',
    marketId: 'mkt_demo_kaien',
    stallNo: '2F-03',
    leaseEndsOn: '2028-08-31',
  },
  {
    id: 'mer_demo_kai04',
    sampleId: 'kaien-005',
    name: '好梦床垫',
    idNumber: residentId('50011219921103404'),
    phone: '13696201304',
    marketId: 'mkt_demo_kaien',
    stallNo: '2F-15',
    leaseEndsOn: '2027-12-31',
  },
  {
    id: 'mer_demo_kai05',
    sampleId: 'kaien-006',
    name: '木语餐桌椅',
    idNumber: residentId('50010519850314505'),
    phone: '13696201305',
    marketId: 'mkt_demo_kaien',
    stallNo: '3F-01',
    leaseEndsOn: '2029-04-30',
  },
  {
    id: 'mer_demo_kai06',
    sampleId: 'kaien-007',
    name: '全友家居专卖',
    idNumber: residentId('50010719891222606'),
    phone: '13696201306',
    marketId: 'mkt_demo_kaien',
    stallNo: '3F-09',
    leaseEndsOn: '2028-10-31',
  },
];
