import { render } from 'preact';
import '../shared/style.css';
import { App } from './app';

render(<App />, document.getElementById('root') as HTMLElement);
