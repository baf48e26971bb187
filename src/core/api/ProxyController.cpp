// The OpenAI-compatible proxy: /v1/models from the catalog; completions, embeddings, rerank, speech and audio uploads
// forwarded to the model or service that serves the requested model, directly or through the host's SSH link;
// streamed answers passed through chunk by chunk as they arrive, uploads streamed on as they arrive.
#include "api/ApiContext.h"
#include "api/Controllers.h"
#include "api/ProxyAdmission.h"
#include "api/RequestBody.h"
#include "api/ResponseStream.h"
#include "api/Router.h"
#include "api/UpstreamClient.h"
#include "models/ModelService.h"
#include "models/ModelsLogging.h"
#include "ssh/SshPool.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QScopeGuard>

namespace gpudeck {
namespace {

// What is sent upstream: a body in memory, or a request body still arriving (an upload).
struct Outgoing
{
    QByteArray path;
    QByteArray body;
    std::shared_ptr<RequestBody> upload;
    QByteArray contentType = QByteArrayLiteral("application/json");
    bool streamAnswer = false;           // passed back as it comes (an event stream, audio), not whole
    bool eventStream = false;            // the client asked for server-sent events
    bool streamBegun = false;            // admission sent the 200 and keep-alive comments already (an on-demand start)
    std::shared_ptr<ProxyTicket> ticket; // the model's concurrency slot and stats, held until the answer is done
};

// Lives on the API thread (a child of the HTTP server), with one upstream client whose keep-alive connections to
// the model servers are reused across requests.
class OpenAiProxy : public QObject
{
public:
    OpenAiProxy(ModelService &models, SshPool &ssh, QObject *parent)
        : QObject(parent)
        , m_models(models)
        , m_ssh(ssh)
        , m_upstream(new UpstreamClient(this))
        , m_admission(new ProxyAdmission(models, this))
    {
    }

    // A JSON request: routed by its "model".
    void forward(const ApiRequest &req, const std::shared_ptr<ResponseStream> &stream)
    {
        const QJsonValue modelValue = req.json.value(QStringLiteral("model"));
        if (!modelValue.isString() || modelValue.toString().isEmpty()) {
            stream->respond(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                               QStringLiteral("'model' is required (GET /v1/models lists the choices)"),
                                               QStringLiteral("model")));
            return;
        }
        // Admission (on-demand start, max_concurrency, stats): ProxyAdmission; the forwarding below.
        const bool events = req.json.value(QStringLiteral("stream")).toBool(false);
        m_admission->admit(modelValue.toString(), events, stream,
                           [this, req, stream](const Admission &admission) { forwardJson(req, stream, admission); });
    }

    // A multipart/form-data upload (audio transcriptions and translations): routed by its "model" field, which is
    // looked for in the body's first part(s) as they arrive; the body is then streamed on, never held whole.
    void upload(const ApiRequest &req, const std::shared_ptr<ResponseStream> &stream)
    {
        const QByteArray contentType = req.header("content-type");
        const QByteArray boundary = multipartBoundary(contentType);
        std::shared_ptr<RequestBody> body = req.bodyStream;
        if (!body) { // an in-process caller: the body is all here
            body = std::make_shared<RequestBody>(req.body.size());
            body->append(req.body.constData(), req.body.size());
            body->finish();
        }
        const QString path = req.path;
        auto decided = std::make_shared<bool>(false);
        auto decide = [this, body, boundary, contentType, path, stream, decided] {
            if (*decided) {
                return;
            }
            if (body->broken()) {
                *decided = true;
                body->disconnect(this);
                return; // the client left: nothing to answer
            }
            const QByteArrayView seen = body->peek();
            const MultipartField model = multipartField(seen, boundary, QByteArrayLiteral("model"),
                                                        body->complete() || seen.size() >= RequestBody::kHighWater);
            if (model.state == MultipartField::State::NeedMore) {
                return;
            }
            *decided = true;
            body->disconnect(this);
            const Result<QString> id =
                model.state == MultipartField::State::Found ? Result<QString>(model.value) : onlyServiceModel();
            if (!id.ok()) {
                body->drop();
                stream->respond(ApiResponse::fromError(id.error()));
                return;
            }
            m_admission->admit(
                id.value(), false, stream,
                [this, body, contentType, path, stream](const Admission &admission) {
                    Outgoing out;
                    out.upload = body;
                    out.contentType = contentType;
                    out.path = upstreamPath(admission.route, path);
                    out.ticket = admission.ticket;
                    dispatch(admission.route, std::move(out), stream);
                },
                [body] { body->drop(); }); // refused: the rest of the upload is read and dropped
        };
        if (boundary.isEmpty()) {
            body->drop();
            stream->respond(ApiResponse::error(400, QStringLiteral("bad_request"),
                                               QStringLiteral("a multipart/form-data body needs a boundary in its "
                                                              "Content-Type")));
            return;
        }
        connect(body.get(), &QIODevice::readyRead, this, decide);
        connect(body.get(), &RequestBody::failed, this, decide);
        decide();
    }

private:
    void forwardJson(const ApiRequest &req, const std::shared_ptr<ResponseStream> &stream, const Admission &admission)
    {
        const ProxyRoute *route = &admission.route;
        Outgoing out;
        out.body = req.body;
        out.streamBegun = admission.streamBegun;
        out.ticket = admission.ticket;
        if (route->renamed) { // only then is the body re-serialised: the upstream knows the id, not the alias
            QJsonObject json = req.json;
            json.insert(QStringLiteral("model"), route->model);
            out.body = QJsonDocument(json).toJson(QJsonDocument::Compact);
        }
        out.eventStream = req.json.value(QStringLiteral("stream")).toBool(false);
        out.streamAnswer = out.eventStream || req.path == QStringLiteral("/v1/audio/speech");
        out.path = upstreamPath(*route, req.path);
        dispatch(*route, std::move(out), stream);
    }

    // A form without a "model" field before its file: routed to the only model a service declares, if there is
    // exactly one; otherwise the client must name the model first (what follows the file is never held to look).
    Result<QString> onlyServiceModel() const
    {
        QStringList declared;
        for (const HostCatalog &h : m_models.catalog().hosts) {
            for (const ServiceSpec &s : h.services) {
                declared << s.models;
            }
        }
        if (declared.size() == 1) {
            return declared.constFirst();
        }
        return Error::make(ErrorCode::Validation, QStringLiteral("validation_failed"),
                           QStringLiteral("the form needs a 'model' field before its file (GET /v1/models lists the "
                                          "choices)"),
                           {{QStringLiteral("field"), QStringLiteral("model")}});
    }

    static QByteArray upstreamPath(const ProxyRoute &route, const QString &path)
    {
        // A service serving the OpenAI routes under another prefix (openai_base) gets them there; /rerank stays.
        if (path.startsWith(QStringLiteral("/v1/"))) {
            return (route.basePath + path.mid(3)).toUtf8();
        }
        return path.toUtf8();
    }

    void dispatch(const ProxyRoute &target, Outgoing out, const std::shared_ptr<ResponseStream> &stream)
    {
        if (!target.viaSsh) {
            send(target, target.address, target.port, std::move(out), stream);
            return;
        }
        // The port is reached through the host's SSH link: a local port forwarded over its session; once open, its
        // local port is known at once (no round trip to the link's thread per request). The forward may close for
        // idleness just as the request connects: send() then tries once more through forwardThenSend().
        if (std::optional<LocalForward> local = m_ssh.forwardedPort(target.connectionId, target.port)) {
            send(target, QStringLiteral("127.0.0.1"), local->port, std::move(out), stream, std::move(local->shortcut));
            return;
        }
        forwardThenSend(target, std::move(out), stream);
    }

    // Asks the link for the forward (opened again if it had closed), then sends through it.
    void forwardThenSend(const ProxyRoute &target, Outgoing out, const std::shared_ptr<ResponseStream> &stream)
    {
        QPointer<OpenAiProxy> self(this);
        m_ssh.forward(target.connectionId, target.port)
            .then(this, [self, target, out, stream](const Result<quint16> &local) {
                if (!self) {
                    return;
                }
                if (!local.ok()) {
                    fail(out, stream,
                         Error::make(ErrorCode::Unavailable, QStringLiteral("model_not_up"),
                                     QStringLiteral("%1 on %2 is reached through its SSH link, which is not usable: %3")
                                         .arg(target.model, target.host, local.error().message),
                                     {{QStringLiteral("host"), target.host}}));
                    return;
                }
                self->send(target, QStringLiteral("127.0.0.1"), local.value(), out, stream);
            });
    }

    // Nothing was forwarded: the error as an answer, or as the stream's one error event when admission had begun it.
    static void fail(const Outgoing &out, const std::shared_ptr<ResponseStream> &stream, const Error &error)
    {
        if (out.ticket) {
            out.ticket->finish(0);
        }
        if (out.upload) {
            out.upload->drop();
        }
        if (out.streamBegun) {
            stream->write(ResponseStream::sseEvent(ApiResponse::fromError(error).body.trimmed()));
            stream->end();
            return;
        }
        stream->respond(ApiResponse::fromError(error));
    }

    // `fastPath` (the forward's shortcut, for the request to use): the port is a forward's as dispatch() read it
    // when the request came. A connection refused there, or closed before anything of the answer came, is tried
    // once more through forwardThenSend(): the forward had closed for idleness meanwhile. An upload only when
    // refused (once connected, its body was being read).
    void send(const ProxyRoute &target, const QString &address, int port, const Outgoing &out,
              const std::shared_ptr<ResponseStream> &stream, std::shared_ptr<LoopbackShortcut> fastPath = {})
    {
        UpstreamRequest request;
        request.address = address;
        request.port = quint16(port);
        request.shortcut = fastPath;
        request.path = out.path;
        request.contentType = out.contentType;
        if (out.eventStream) {
            request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream")});
        }
        if (out.upload) {
            // Streamed from the client as it arrives, a piece at a time, with the length it declared.
            request.upload = out.upload.get();
            request.uploadSize = out.upload->declaredSize();
        } else {
            request.body = out.body;
        }
        UpstreamReply *reply = m_upstream->post(std::move(request));
        if (out.upload) {
            QPointer<UpstreamReply> guard(reply);
            connect(out.upload.get(), &RequestBody::failed, reply, [guard] {
                if (guard) {
                    guard->abort(); // the client left mid-upload
                }
            });
        }
        auto begun = std::make_shared<bool>(out.streamBegun);
        const std::shared_ptr<ProxyTicket> ticket = out.ticket;
        if (out.streamAnswer || out.upload) {
            // A generation can run for minutes and an upload is long: a client that leaves stops it upstream.
            // (A short answer is not worth a watcher on the connection for every request it carries.)
            QPointer<UpstreamReply> guard(reply);
            stream->onClosed([guard] {
                if (guard) {
                    guard->abort();
                }
            });
        }
        if (out.streamAnswer) {
            const bool events = out.eventStream;
            connect(reply, &UpstreamReply::readyRead, this, [reply, stream, begun, events, ticket] {
                if (!*begun) {
                    *begun = true;
                    QByteArray type = reply->contentType();
                    if (type.isEmpty()) {
                        type = events ? QByteArrayLiteral("text/event-stream")
                                      : QByteArrayLiteral("application/octet-stream");
                    }
                    stream->begin(reply->status(), type);
                }
                const QByteArray data = reply->readAll();
                ticket->chunk(data);
                stream->write(data);
            });
        }
        ModelService *models = &m_models;
        const bool events = out.eventStream;
        const std::shared_ptr<RequestBody> upload = out.upload;
        std::function<void()> again;
        if (fastPath) {
            QPointer<OpenAiProxy> self(this);
            again = [self, target, out, stream] {
                if (self) {
                    self->forwardThenSend(target, out, stream);
                }
            };
        }
        UpstreamClient *client = m_upstream;
        auto finished = [reply, client, stream, begun, target, models, events, upload, ticket, again] {
            // Deleted once the answer is on its way, without an event posted to this thread (dispose()).
            const auto deleteReply = qScopeGuard([reply, client] { client->dispose(reply); });
            const bool failed = reply->error() != UpstreamReply::Error::None;
            const bool cancelled = reply->error() == UpstreamReply::Error::Canceled;
            if (again && !reply->headDone() && stream->isOpen() &&
                (reply->error() == UpstreamReply::Error::ConnectionRefused ||
                 (reply->error() == UpstreamReply::Error::Closed && !upload))) {
                qCInfo(lcModels).noquote() << QStringLiteral("%1 on %2: the forward of port %3 closed as a request "
                                                             "connected (%4); once more through a new one")
                                                  .arg(target.model, target.host)
                                                  .arg(target.port)
                                                  .arg(reply->errorString());
                again();
                return;
            }
            ticket->finish(failed ? 0 : reply->status());
            if (upload) {
                upload->disconnect(reply);
                upload->drop(); // an answer before the whole body was sent: the rest is read and dropped
            }
            if (*begun) {
                if (!cancelled) { // not when aborted because the client left
                    const QByteArray data = reply->readAll();
                    ticket->chunk(data);
                    stream->write(data);
                }
                if (failed && !cancelled && stream->isOpen() && events) {
                    // The upstream (or the SSH link to it) went away mid-stream: said as an OpenAI-style error
                    // event, which clients raise, rather than a stream that just stops.
                    const QJsonObject error{
                        {QStringLiteral("message"), QStringLiteral("%1 on %2 stopped answering mid-stream: %3")
                                                        .arg(target.model, target.host, reply->errorString())},
                        {QStringLiteral("type"), QStringLiteral("upstream_failed")},
                        {QStringLiteral("code"), QStringLiteral("upstream_failed")}};
                    stream->write(
                        QByteArrayLiteral("data: ") +
                        QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact) +
                        QByteArrayLiteral("\n\n"));
                }
                if (failed && !cancelled && !events) {
                    stream->abort(); // a binary answer cut short must not look complete
                    return;
                }
                stream->end();
                return;
            }
            if (!failed) {
                ApiResponse r;
                r.status = reply->status();
                r.body = reply->readAll();
                ticket->chunk(r.body);
                r.contentType = reply->contentType();
                stream->respond(r);
                return;
            }
            if (cancelled && !stream->isOpen()) {
                return; // we aborted it: the client is gone
            }
            if (reply->error() == UpstreamReply::Error::ConnectionRefused) {
                models->refresh(target.host); // what we believed is out of date
                stream->respond(ApiResponse::fromError(
                    Error::make(ErrorCode::Unavailable, QStringLiteral("model_not_up"),
                                QStringLiteral("%1 is not being served: nothing listens on %2:%3 (%4)")
                                    .arg(target.model, target.host)
                                    .arg(target.port)
                                    .arg(reply->errorString()),
                                {{QStringLiteral("host"), target.host}})));
                return;
            }
            stream->respond(ApiResponse::fromError(
                Error::make(ErrorCode::Upstream, QStringLiteral("upstream_failed"),
                            QStringLiteral("%1 on %2: %3").arg(target.model, target.host, reply->errorString()))));
        };
        connect(reply, &UpstreamReply::finished, this, finished);
    }

    ModelService &m_models;
    SshPool &m_ssh;
    UpstreamClient *m_upstream;
    ProxyAdmission *m_admission;
};

QJsonObject modelEntry(const QString &id, const QString &host, qint64 created, bool serving)
{
    return {{QStringLiteral("id"), id},           {QStringLiteral("object"), QStringLiteral("model")},
            {QStringLiteral("created"), created}, {QStringLiteral("owned_by"), host},
            {QStringLiteral("host"), host},       {QStringLiteral("serving"), serving}};
}

} // namespace

void registerProxyRoutes(Router &router, ApiContext &ctx)
{
    // Everything routable: the catalog's models (with whether each is up now) and the models its services declare.
    router.add("GET", QStringLiteral("/v1/models"), [&ctx](const ApiRequest &) {
        const ModelCatalog catalog = ctx.models.catalog();
        const qint64 created = catalog.loadedAt.isValid() ? catalog.loadedAt.toSecsSinceEpoch() : 0;
        const QList<ServiceHealth> health = ctx.models.services();
        QJsonArray data;
        for (const HostCatalog &h : catalog.hosts) {
            const HostServing serving = ctx.models.serving(h.host);
            for (const ModelSpec &m : h.models) {
                const bool up = serving.health == Health::Up && serving.model == m.id && serving.swapId.isEmpty();
                QJsonObject entry = modelEntry(m.id, h.host, created, up);
                entry.insert(QStringLiteral("display_name"), m.displayName);
                entry.insert(QStringLiteral("aliases"), QJsonArray::fromStringList(m.aliases));
                data.append(entry);
            }
            for (const ServiceSpec &s : h.services) {
                bool up = false;
                for (const ServiceHealth &sh : health) {
                    up = up || (sh.host == s.host && sh.name == s.name && sh.health == Health::Up);
                }
                for (const QString &id : s.models) {
                    QJsonObject entry = modelEntry(id, h.host, created, up);
                    entry.insert(QStringLiteral("display_name"), id);
                    entry.insert(QStringLiteral("aliases"), QJsonArray());
                    entry.insert(QStringLiteral("service"), s.name);
                    data.append(entry);
                }
            }
        }
        return ApiResponse::json(
            QJsonObject{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}});
    });

    // One proxy per API thread (its upstream connections and sockets belong to that thread), created at the thread's
    // first proxied request as a child of that thread's HTTP server (req.context), so it dies on that thread too.
    // Admission state (max_concurrency, stats) lives in ModelService, shared by all of them.
    // Found through a property of the server rather than among its children, which are its connections too.
    auto proxyFor = [&ctx](const ApiRequest &req) {
        static constexpr char kProperty[] = "gpudeck-openai-proxy";
        auto *proxy = static_cast<OpenAiProxy *>(req.context->property(kProperty).value<QObject *>());
        if (!proxy) {
            proxy = new OpenAiProxy(ctx.models, ctx.ssh, req.context); // a child: it dies with the server
            req.context->setProperty(kProperty, QVariant::fromValue<QObject *>(proxy));
        }
        return proxy;
    };
    auto forward = [proxyFor](const ApiRequest &req, std::shared_ptr<ResponseStream> stream) {
        proxyFor(req)->forward(req, stream);
    };
    auto upload = [proxyFor](const ApiRequest &req, std::shared_ptr<ResponseStream> stream) {
        proxyFor(req)->upload(req, stream);
    };
    for (const char *path :
         {"/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/audio/speech", "/v1/rerank", "/rerank"}) {
        router.addStream("POST", QString::fromLatin1(path), forward);
    }
    for (const char *path : {"/v1/audio/transcriptions", "/v1/audio/translations"}) {
        router.addStream("POST", QString::fromLatin1(path), upload);
        router.setStreamedBody("POST", QString::fromLatin1(path), QByteArrayLiteral("multipart/form-data"));
    }
}

} // namespace gpudeck
