// `react/jsx-runtime` for the Kibana bundle, on the React Kibana lends
// (`__kbnSharedDeps__.React`): createElement with the props object as is
// (children inside it) and the key put back, so no copy of React's own
// jsx-runtime file is bundled.
const React = require('react');

function jsx(type, props, key) {
  return React.createElement(type, key === undefined ? props : { ...props, key });
}

module.exports = { jsx, jsxs: jsx, Fragment: React.Fragment };
