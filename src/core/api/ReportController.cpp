#include "api/ApiContext.h"
#include "api/ControllerSupport.h"
#include "api/Controllers.h"
#include "api/Router.h"
#include "report/ReportService.h"

namespace gpudeck {

void registerReportRoutes(Router &router, ApiContext &ctx)
{
    // The status report: JSON by default (like every route), Markdown or HTML for people (?format=).
    router.add("GET", QStringLiteral("/api/dgx/report"), [&ctx](const ApiRequest &req) {
        const QString name = req.queryValue(QStringLiteral("format"));
        const auto format = name.isEmpty() ? std::optional(ReportFormat::Json) : parseReportFormat(name);
        if (!format) {
            return ApiResponse::error(400, QStringLiteral("validation_failed"),
                                      QStringLiteral("'format' must be one of: ") +
                                          reportFormatNames().join(QStringLiteral(", ")),
                                      QStringLiteral("format"));
        }
        auto body = ctx.reports.render(*format);
        if (!body.ok()) {
            return ApiResponse::fromError(body.error());
        }
        ApiResponse r;
        r.body = std::move(body.value());
        r.contentType = reportContentType(*format);
        return r;
    });
    router.setQueryParams("GET", QStringLiteral("/api/dgx/report"), {QStringLiteral("format")});

    // The daily schedule: enabled, time of day, folder, format; and what it last did.
    router.add("GET", QStringLiteral("/api/config/report"),
               [&ctx](const ApiRequest &) { return ApiResponse::json(ctx.reports.scheduleJson()); });

    router.add("PUT", QStringLiteral("/api/config/report"), [&ctx](const ApiRequest &req) {
        ReportSchedule s = ctx.reports.schedule();
        QString error;
        if (!ReportSchedule::fromJson(req.json, s, &error)) {
            return ApiResponse::error(400, QStringLiteral("validation_failed"), error);
        }
        if (Status st = ctx.reports.setSchedule(s); !st.ok()) {
            return ApiResponse::fromError(st.error());
        }
        return ApiResponse::json(ctx.reports.scheduleJson());
    });
}

} // namespace gpudeck
