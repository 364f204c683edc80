// The hub's GraphiQL page: queries and mutations over HTTP POST to this page's URL, subscriptions over
// graphql-transport-ws on the same URL. The headers editor's headers (an Authorization header, say) go with
// every request and, for subscriptions, in the connection_init payload. The browser sends its Accept-Language.
"use strict";

(function () {
  const root = document.getElementById("graphiql");
  const exampleQuery = root.dataset.exampleQuery || "";
  const parameters = new URLSearchParams(window.location.search);
  const url = window.location.origin + window.location.pathname;
  const subscriptionUrl = url.replace(/^http/, "ws");

  const fetcher = GraphiQL.createFetcher({ url: url, subscriptionUrl: subscriptionUrl });
  const explorer = GraphiQLPluginExplorer.explorerPlugin();

  // The query (?q=, as ?query= is a GraphQL GET request) and the variables live in the address, so a page can be
  // bookmarked or shared; headers never do.
  function remember(name, value) {
    if (value) {
      parameters.set(name, value);
    } else {
      parameters.delete(name);
    }
    const search = parameters.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  function HubGraphiQL() {
    const [query, setQuery] = React.useState(parameters.get("q") || exampleQuery);
    const [variables, setVariables] = React.useState(parameters.get("variables") || undefined);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      query: query,
      variables: variables,
      onEditQuery: function (value) {
        setQuery(value);
        remember("q", value === exampleQuery ? "" : value);
      },
      onEditVariables: function (value) {
        setVariables(value);
        remember("variables", value);
      },
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    });
  }

  ReactDOM.createRoot(root).render(React.createElement(HubGraphiQL));
})();
