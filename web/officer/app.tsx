import { Header } from '../shared/header';
import { tr } from '../shared/i18n';

export function App() {
  return (
    <>
      <Header title={tr('客户经理', 'Loan officer')} />
      <main>
        <p>{tr('准备中', 'Coming up')}</p>
      </main>
    </>
  );
}
