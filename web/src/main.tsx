/**
 * @module Entry point of the portal bundle: mounts the app. Styles are bundled
 * (styles.css), fonts are the system's, so nothing is fetched from another origin.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import './styles.css';
import './reflow.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
