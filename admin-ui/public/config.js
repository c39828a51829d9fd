// Replaced per deployment: window.__THANKSTAR__ = { gatewayUrl: 'https://api.example.jp/graphql' };
window.__THANKSTAR__ = window.__THANKSTAR__ || {};
