import { render } from 'preact';
import '../shared/style.css';
import { Workbench } from './workbench';

render(<Workbench />, document.getElementById('root') as HTMLElement);
