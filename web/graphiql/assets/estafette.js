// Mounts GraphiQL on #graphiql. The endpoint and the default query come from
// data attributes that the Go server writes, so no inline script is needed and
// the page's Content-Security-Policy can keep script-src to 'self'.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var endpoint = root.getAttribute("data-endpoint");
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.getAttribute("data-default-query"),
    }),
  );
})();
