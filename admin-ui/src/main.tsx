import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { captureInstallPrompt, registerServiceWorker } from './pwa/pwa';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
captureInstallPrompt();
registerServiceWorker();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
