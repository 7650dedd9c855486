import { Header } from '../shared/header';
import { tr } from '../shared/i18n';

export function Workbench() {
  return (
    <>
      <Header title={tr('风险策略工作台', 'Risk workbench')} />
      <main class="wide">
        <p>{tr('准备中', 'Coming up')}</p>
      </main>
    </>
  );
}
