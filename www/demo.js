// Demo page: list the documents, and keep the page working offline (service worker).
import { policyQa } from './policy-qa.js';

const list = document.getElementById('doc-list');
if (list) {
  const qa = await policyQa();
  for (const d of qa.documents()) {
    const li = document.createElement('li');
    li.textContent = `《${d.title.replace(/^《|》$/g, '')}》${d.number ? `（${d.number}）` : ''} — ${d.clauses} 条`;
    list.append(li);
  }
}
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('sw.js').catch(() => {});
}
