#pragma once

namespace gpudeck {

class Router;
struct ApiContext;

// One controller per resource: each adds its routes to the router. They run on the API thread and only
// translate between HTTP and the core; every rule lives in the core so the GUI obeys it too.
void registerSystemRoutes(Router &router, ApiContext &context);
void registerConnectionRoutes(Router &router, ApiContext &context);
void registerProjectRoutes(Router &router, ApiContext &context);
void registerJobRoutes(Router &router, ApiContext &context);
void registerSshRoutes(Router &router, ApiContext &context);
void registerMetricsRoutes(Router &router, ApiContext &context);
void registerModelRoutes(Router &router, ApiContext &context);
void registerProxyRoutes(Router &router, ApiContext &context);
void registerJobRunRoutes(Router &router, ApiContext &context);
void registerFleetRoutes(Router &router, ApiContext &context);
void registerAuditRoutes(Router &router, ApiContext &context);
void registerPrometheusRoutes(Router &router, ApiContext &context);
void registerEventRoutes(Router &router, ApiContext &context);
void registerProxmoxRoutes(Router &router, ApiContext &context);
void registerWakeRoutes(Router &router, ApiContext &context);
void registerReportRoutes(Router &router, ApiContext &context);
void registerRunPodRoutes(Router &router, ApiContext &context);
void registerSyncRoutes(Router &router, ApiContext &context);

} // namespace gpudeck
