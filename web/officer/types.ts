export interface Market {
  id: string;
  name: string;
  city: string;
  category: string;
}

export interface Merchant {
  id: string;
  name: string;
  marketId: string;
  stallNo: string;
  businessForm: string | null;
  idNumber: string;
  phone: string;
}
