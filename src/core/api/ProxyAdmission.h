#pragma once

// What happens to a proxied request before it is forwarded (the forwarding itself is ProxyController's):
// - the model is not up and models.yaml says `on_demand: true`: a swap to it starts (or the one running on its host
//   is waited for; one swap at a time per host), the request waits until it has finished, then goes on or gets a
//   clear error. A streaming client gets its 200 and SSE comments (": waiting ...") every few seconds meanwhile, so
//   neither it nor a proxy in between gives up on a silent connection;
// - past the model's `max_concurrency`: 429 with Retry-After instead of piling requests on a busy GPU;
// - the request is counted in the model's stats (ProxyTicket, released when the answer is done).
// Lives on the API thread.

#include "Result.h"
#include "api/ApiRequest.h"
#include "models/ModelService.h"

#include <QElapsedTimer>
#include <QObject>
#include <functional>
#include <memory>

namespace gpudeck {

class ResponseStream;

// One admitted request: holds its concurrency slot until destroyed; records latency, errors and tokens.
class ProxyTicket
{
public:
    ProxyTicket(ModelService &models, QString model);
    ~ProxyTicket();
    ProxyTicket(const ProxyTicket &) = delete;
    ProxyTicket &operator=(const ProxyTicket &) = delete;

    // Each piece of the upstream's answer as it is passed on (only its tail is kept, for `usage`).
    void chunk(const QByteArray &data);
    // The upstream's status (0: no answer, e.g. it could not be reached).
    void finish(int status);

private:
    ModelService &m_models;
    QString m_model;
    QElapsedTimer m_timer;
    QByteArray m_tail;
    int m_status = 0;
};

struct Admission
{
    ProxyRoute route;
    bool streamBegun = false; // the 200 and keep-alive comments went out already: write on, do not begin()
    std::shared_ptr<ProxyTicket> ticket;
};

class ProxyAdmission : public QObject
{
public:
    ProxyAdmission(ModelService &models, QObject *parent);

    // `go` runs (on the API thread) once a request for `model` may be forwarded; otherwise the stream has been
    // answered, after `refused` ran (an upload drops the rest of its body there). A `streaming` (SSE) client that
    // has to wait for an on-demand start gets its 200 and keep-alive comments meanwhile.
    void admit(const QString &model, bool streaming, const std::shared_ptr<ResponseStream> &stream,
               std::function<void(const Admission &)> go, std::function<void()> refused = {});

    static int keepAliveMs; // between SSE comments while a streaming request waits (tests shorten it)

private:
    struct Wait;
    void attempt(const std::shared_ptr<Wait> &wait);
    void refuse(const std::shared_ptr<Wait> &wait, const Error &error);

    ModelService &m_models;
};

} // namespace gpudeck
