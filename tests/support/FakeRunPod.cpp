#include "FakeRunPod.h"

#include "JsonSchema.h"
#include "SshServer.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <optional>

#ifndef GPUDECK_RUNPOD_SPEC
#error "GPUDECK_RUNPOD_SPEC (the RunPod OpenAPI subset) must be defined by CMake"
#endif

namespace gpudeck::test {

struct FakeRunPod::State
{
    struct Pod
    {
        QString id;
        QString name;
        QString image;
        QString gpuId;
        int gpuCount = 1;
        QString cloud = QStringLiteral("SECURE");
        int disk = 50;
        int volume = 0;
        QString volumePath;
        QStringList ports;
        QJsonObject env;
        QString status;
        QString createdAt;
        QString startedAt;
        bool startSsh = true;
        int reads = 0;
        double pricePerGpu = 0;
        bool waitingForSshd = false;
        QJsonObject createBody;
    };

    mutable QMutex mutex;
    QString key;
    QJsonObject doc;
    std::unique_ptr<JsonSchema> schema;
    QList<Pod> pods;
    QStringList accountKeys;
    QJsonArray catalog;
    int stepReads = 1;
    int answer429 = 0;
    int retryAfterS = 1;
    QStringList requests;
    QStringList violations;
    QStringList answerViolations;
    int unauthorized = 0;
    int limited = 0;
    int minuteCount = 0;
    qint64 minuteStart = 0;
    SshServer *sshd = nullptr;
    QPointer<QObject> sshdContext;
    quint16 sshPort = 0;
    QString sshUser;
    int nextId = 1;

    double priceOf(const QString &gpuId, const QString &cloud) const
    {
        for (const QJsonValue &g : catalog) {
            const QJsonObject o = g.toObject();
            if (o.value(QStringLiteral("id")).toString() == gpuId) {
                return o.value(QStringLiteral("price"))
                    .toObject()
                    .value(cloud == QStringLiteral("COMMUNITY") ? QStringLiteral("community")
                                                                : QStringLiteral("secure"))
                    .toDouble();
            }
        }
        return -1;
    }
    Pod *find(const QString &id)
    {
        for (Pod &p : pods) {
            if (p.id == id) {
                return &p;
            }
        }
        return nullptr;
    }
};

namespace {

struct Answer
{
    int status = 200;
    QJsonValue body = QJsonValue(QJsonValue::Undefined); // undefined: no body
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;
};

QString nowIso()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

QByteArray reasonOf(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    default:
        return "Status";
    }
}

Answer problem(int status, const QString &detail, const QStringList &errors = {})
{
    QJsonObject o{{QStringLiteral("title"), QString::fromLatin1(reasonOf(status))},
                  {QStringLiteral("status"), status},
                  {QStringLiteral("detail"), detail}};
    if (!errors.isEmpty()) {
        o.insert(QStringLiteral("errors"), QJsonArray::fromStringList(errors));
    }
    Answer a;
    a.status = status;
    a.body = o;
    a.contentType = "application/problem+json";
    return a;
}

QStringList actionsFor(const QString &status)
{
    if (status == QStringLiteral("RUNNING")) {
        return {QStringLiteral("stop"), QStringLiteral("restart"), QStringLiteral("terminate")};
    }
    if (status == QStringLiteral("EXITED") || status == QStringLiteral("ERROR")) {
        return {QStringLiteral("start"), QStringLiteral("terminate")};
    }
    if (status == QStringLiteral("PROVISIONING") || status == QStringLiteral("STARTING")) {
        return {QStringLiteral("stop"), QStringLiteral("terminate")};
    }
    return {};
}

// One read of a pod: it moves one step along PROVISIONING → STARTING → RUNNING every stepReads reads.
void advance(FakeRunPod::State &st, FakeRunPod::State::Pod &p)
{
    if (p.status != QStringLiteral("PROVISIONING") && p.status != QStringLiteral("STARTING")) {
        return;
    }
    if (p.waitingForSshd) {
        return;
    }
    if (++p.reads < st.stepReads) {
        return;
    }
    p.reads = 0;
    if (p.status == QStringLiteral("PROVISIONING")) {
        p.status = QStringLiteral("STARTING");
        return;
    }
    p.status = QStringLiteral("RUNNING");
    p.startedAt = nowIso();
    if (p.startSsh && st.sshd) {
        for (const QString &k : std::as_const(st.accountKeys)) {
            st.sshd->addAuthorizedKey(k); // what startSsh's PUBLIC_KEY does in a RunPod image
        }
    }
}

QJsonObject podJson(const FakeRunPod::State &st, const FakeRunPod::State::Pod &p)
{
    const bool running = p.status == QStringLiteral("RUNNING");
    const bool sshd = running && p.startSsh && p.ports.contains(QStringLiteral("22/tcp")) && st.sshPort != 0;
    QJsonObject mounts;
    if (p.volume > 0) {
        mounts.insert(QStringLiteral("persistent"),
                      QJsonObject{{QStringLiteral("size"), p.volume}, {QStringLiteral("path"), p.volumePath}});
    }
    QJsonValue direct;
    QJsonValue proxy;
    if (sshd) {
        direct = QJsonObject{
            {QStringLiteral("host"), QStringLiteral("127.0.0.1")},
            {QStringLiteral("port"), st.sshPort},
            {QStringLiteral("username"), st.sshUser},
            {QStringLiteral("command"), QStringLiteral("ssh %1@127.0.0.1 -p %2").arg(st.sshUser).arg(st.sshPort)}};
    }
    if (p.status != QStringLiteral("PROVISIONING")) {
        proxy =
            QJsonObject{{QStringLiteral("host"), QStringLiteral("ssh.runpod.invalid")},
                        {QStringLiteral("port"), 22},
                        {QStringLiteral("username"), p.id + QStringLiteral("-64411eb2")},
                        {QStringLiteral("command"), QStringLiteral("ssh %1-64411eb2@ssh.runpod.invalid").arg(p.id)}};
    }
    QJsonValue runtime;
    if (running) {
        QJsonArray ports;
        if (sshd) {
            ports.append(QJsonObject{{QStringLiteral("private"), 22},
                                     {QStringLiteral("public"), st.sshPort},
                                     {QStringLiteral("type"), QStringLiteral("tcp")},
                                     {QStringLiteral("ip"), QStringLiteral("127.0.0.1")}});
        }
        const qint64 uptime =
            qMax<qint64>(0, QDateTime::fromString(p.startedAt, Qt::ISODate).secsTo(QDateTime::currentDateTimeUtc()));
        runtime = QJsonObject{{QStringLiteral("uptime"), uptime}, {QStringLiteral("ports"), ports}};
    }
    const bool billed = p.status != QStringLiteral("EXITED") && p.status != QStringLiteral("TERMINATED") &&
                        p.status != QStringLiteral("ERROR");
    return {
        {QStringLiteral("id"), p.id},
        {QStringLiteral("name"), p.name},
        {QStringLiteral("image"), p.image},
        {QStringLiteral("args"), QString()},
        {QStringLiteral("disk"), p.disk},
        {QStringLiteral("ports"), QJsonArray::fromStringList(p.ports)},
        {QStringLiteral("env"), p.env},
        {QStringLiteral("registry"), QJsonValue()},
        {QStringLiteral("status"), p.status},
        {QStringLiteral("actions"), QJsonArray::fromStringList(actionsFor(p.status))},
        {QStringLiteral("mounts"), mounts},
        {QStringLiteral("gpu"), QJsonObject{{QStringLiteral("id"), p.gpuId}, {QStringLiteral("count"), p.gpuCount}}},
        {QStringLiteral("cloud"), p.cloud},
        {QStringLiteral("dataCenterId"), QStringLiteral("US-KS-2")},
        {QStringLiteral("cudaVersion"), QStringLiteral("12.8")},
        {QStringLiteral("ssh"), QJsonObject{{QStringLiteral("proxy"), proxy}, {QStringLiteral("direct"), direct}}},
        {QStringLiteral("template"), QJsonValue()},
        {QStringLiteral("cost"), billed ? p.pricePerGpu * p.gpuCount : 0.0},
        {QStringLiteral("locked"), false},
        {QStringLiteral("globalNetworking"), QJsonObject{{QStringLiteral("enabled"), false}}},
        {QStringLiteral("runtime"), runtime},
        {QStringLiteral("createdAt"), p.createdAt},
        {QStringLiteral("startedAt"), p.startedAt.isEmpty() ? QJsonValue() : QJsonValue(p.startedAt)}};
}

// The sshd moves to a new port with a new host key (on its own thread); the pods waiting for it go on then.
void moveSshd(const std::shared_ptr<FakeRunPod::State> &state)
{
    SshServer *sshd = state->sshd;
    QObject *context = state->sshdContext.data();
    if (!sshd || !context) {
        for (auto &p : state->pods) {
            p.waitingForSshd = false;
        }
        return;
    }
    QMetaObject::invokeMethod(context, [state, sshd] {
        QString error;
        if (!sshd->restartOnNewPort(&error)) {
            qWarning("FakeRunPod: moving the sshd failed: %s", qPrintable(error));
        }
        QMutexLocker lock(&state->mutex);
        state->sshPort = sshd->port();
        for (auto &p : state->pods) {
            p.waitingForSshd = false;
        }
    });
}

// The operation of a request: its path template in the description.
QString templateOf(const QString &path)
{
    const QStringList seg = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (seg.size() == 3 && seg[1] == QStringLiteral("pods")) {
        return QStringLiteral("/v2/pods/{id}");
    }
    if (seg.size() == 4 && seg[1] == QStringLiteral("pods") && seg[3] == QStringLiteral("action")) {
        return QStringLiteral("/v2/pods/{id}/action");
    }
    return path;
}

QJsonObject operationOf(const QJsonObject &doc, const QString &tmpl, const QByteArray &method)
{
    return doc.value(QStringLiteral("paths"))
        .toObject()
        .value(tmpl)
        .toObject()
        .value(QString::fromLatin1(method).toLower())
        .toObject();
}

Answer handle(const std::shared_ptr<FakeRunPod::State> &state, const QByteArray &method, const QString &path,
              const QUrlQuery &query, const QByteArray &body, const QByteArray &auth)
{
    FakeRunPod::State &st = *state;
    QMutexLocker lock(&st.mutex);
    st.requests << QString::fromLatin1(method) + QLatin1Char(' ') + path;
    if (auth != "Bearer " + st.key.toUtf8()) {
        ++st.unauthorized;
        return problem(401, auth.isEmpty() ? QStringLiteral("missing bearer token")
                                           : QStringLiteral("invalid bearer token"));
    }
    if (st.answer429 > 0) {
        --st.answer429;
        ++st.limited;
        Answer a = problem(429, QStringLiteral("rate limit exceeded for the minute window"));
        a.headers.append({"Retry-After", QByteArray::number(st.retryAfterS)});
        return a;
    }
    const QString tmpl = templateOf(path);
    const QJsonObject op = operationOf(st.doc, tmpl, method);
    if (op.isEmpty()) {
        if (st.doc.value(QStringLiteral("paths")).toObject().contains(tmpl)) {
            return problem(405, QStringLiteral("The requested method is not allowed for this path."));
        }
        return problem(404, QStringLiteral("no such resource: %1").arg(path));
    }
    // The request body against the operation's schema, as RunPod validates it (422 with every violation).
    QJsonObject json;
    const QJsonValue bodySchema = op.value(QStringLiteral("requestBody"))
                                      .toObject()
                                      .value(QStringLiteral("content"))
                                      .toObject()
                                      .value(QStringLiteral("application/json"))
                                      .toObject()
                                      .value(QStringLiteral("schema"));
    if (bodySchema.isObject()) {
        QJsonParseError parseError;
        const QJsonDocument d = QJsonDocument::fromJson(body, &parseError);
        QStringList errors;
        if (parseError.error != QJsonParseError::NoError) {
            errors << QStringLiteral("$: the body is not JSON");
        } else {
            errors = st.schema->check(d.isObject() ? QJsonValue(d.object()) : QJsonValue(d.array()), bodySchema);
            json = d.object();
        }
        if (!errors.isEmpty()) {
            st.violations << QStringLiteral("%1 %2: %3")
                                 .arg(QString::fromLatin1(method), path, errors.join(QStringLiteral("; ")));
            return problem(422, QStringLiteral("Request validation failed."), errors);
        }
    }
    // Which query parameters the operation declares.
    QStringList declared;
    for (const QJsonValue &p : op.value(QStringLiteral("parameters")).toArray()) {
        declared << st.schema->resolve(p.toObject()).value(QStringLiteral("name")).toString();
    }
    for (const auto &item : query.queryItems()) {
        if (!declared.contains(item.first)) {
            st.violations << QStringLiteral("%1 %2: undeclared query parameter %3")
                                 .arg(QString::fromLatin1(method), path, item.first);
            return problem(400, QStringLiteral("unknown query parameter %1").arg(item.first));
        }
    }

    const QStringList seg = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (tmpl == QStringLiteral("/v2/account/ssh-keys")) {
        if (method == "PUT") {
            st.accountKeys.clear();
            for (const QJsonValue &k : json.value(QStringLiteral("keys")).toArray()) {
                st.accountKeys << k.toString();
            }
        }
        return {200,
                QJsonObject{{QStringLiteral("keys"), QJsonArray::fromStringList(st.accountKeys)}},
                "application/json",
                {}};
    }
    if (tmpl == QStringLiteral("/v2/catalog/gpus")) {
        return {200, QJsonObject{{QStringLiteral("gpus"), st.catalog}}, "application/json", {}};
    }
    if (tmpl == QStringLiteral("/v2/pods") && method == "GET") {
        QJsonArray pods;
        for (auto &p : st.pods) {
            advance(st, p);
            pods.append(podJson(st, p));
        }
        return {200, QJsonObject{{QStringLiteral("pods"), pods}}, "application/json", {}};
    }
    if (tmpl == QStringLiteral("/v2/pods") && method == "POST") {
        // Rules the schema cannot say (RunPod's handler layer): exactly one of gpu/cpu; a GPU it has.
        if (json.contains(QStringLiteral("gpu")) == json.contains(QStringLiteral("cpu"))) {
            return problem(400, QStringLiteral("exactly one of gpu or cpu must be set"));
        }
        const QJsonObject gpu = json.value(QStringLiteral("gpu")).toObject();
        FakeRunPod::State::Pod p;
        p.gpuId = gpu.value(QStringLiteral("id")).toString();
        p.gpuCount = gpu.value(QStringLiteral("count")).toInt(1);
        p.cloud = json.value(QStringLiteral("cloud")).toString(QStringLiteral("SECURE"));
        p.pricePerGpu = st.priceOf(p.gpuId, p.cloud);
        if (p.pricePerGpu <= 0) {
            return problem(400, QStringLiteral("this GPU and data center combination could not be placed: %1 on %2")
                                    .arg(p.gpuId, p.cloud));
        }
        p.id = QStringLiteral("fk%1pod").arg(st.nextId++, 4, 10, QLatin1Char('0'));
        p.name = json.value(QStringLiteral("name")).toString();
        p.image = json.value(QStringLiteral("image")).toString();
        p.disk = json.value(QStringLiteral("disk")).toInt(50);
        const QJsonObject persistent =
            json.value(QStringLiteral("mounts")).toObject().value(QStringLiteral("persistent")).toObject();
        p.volume = persistent.value(QStringLiteral("size")).toInt();
        p.volumePath = persistent.value(QStringLiteral("path")).toString();
        for (const QJsonValue &port : json.value(QStringLiteral("ports")).toArray()) {
            p.ports << port.toString();
        }
        p.env = json.value(QStringLiteral("env")).toObject();
        p.startSsh = json.value(QStringLiteral("startSsh")).toBool(false) && !st.accountKeys.isEmpty();
        p.status = QStringLiteral("PROVISIONING");
        p.createdAt = nowIso();
        p.createBody = json;
        st.pods.append(p);
        return {201, podJson(st, p), "application/json", {}};
    }
    FakeRunPod::State::Pod *pod = seg.size() >= 3 ? st.find(seg[2]) : nullptr;
    if (!pod) {
        return problem(404, QStringLiteral("The requested Pod does not exist."));
    }
    if (tmpl == QStringLiteral("/v2/pods/{id}") && method == "GET") {
        advance(st, *pod);
        return {200, podJson(st, *pod), "application/json", {}};
    }
    auto terminate = [&st, &pod] {
        const QString id = pod->id;
        st.pods.erase(std::remove_if(st.pods.begin(), st.pods.end(), [&id](const auto &p) { return p.id == id; }),
                      st.pods.end());
        Answer a;
        a.status = 204;
        return a;
    };
    if (tmpl == QStringLiteral("/v2/pods/{id}") && method == "DELETE") {
        return terminate();
    }
    if (tmpl == QStringLiteral("/v2/pods/{id}/action")) {
        const QString action = json.value(QStringLiteral("action")).toString();
        const QStringList allowed = actionsFor(pod->status);
        if (!allowed.contains(action)) {
            return problem(409, QStringLiteral("cannot %1 a pod that is %2; allowed actions: %3")
                                    .arg(action, pod->status, allowed.join(QStringLiteral(", "))));
        }
        if (action == QStringLiteral("terminate")) {
            return terminate();
        }
        if (action == QStringLiteral("stop")) {
            pod->status = QStringLiteral("EXITED");
            pod->startedAt.clear();
        } else {
            // start and restart: the container starts again on a new port with a new host key.
            pod->status = QStringLiteral("STARTING");
            pod->startedAt.clear();
            pod->reads = 0;
            pod->waitingForSshd = true;
            moveSshd(state);
        }
        return {200, podJson(st, *pod), "application/json", {}};
    }
    return problem(405, QStringLiteral("The requested method is not allowed for this path."));
}

// The answer against the operation's response schema (a fake that drifts from the description is a test bug).
void checkAnswer(FakeRunPod::State &st, const QByteArray &method, const QString &path, const Answer &a)
{
    QMutexLocker lock(&st.mutex);
    const QJsonObject op = operationOf(st.doc, templateOf(path), method);
    if (op.isEmpty()) {
        return;
    }
    const QJsonObject responses = op.value(QStringLiteral("responses")).toObject();
    QJsonObject response = responses.value(QString::number(a.status)).toObject();
    if (response.isEmpty()) {
        response = responses.value(QStringLiteral("default")).toObject();
    }
    response = st.schema->resolve(response);
    const QJsonObject content = response.value(QStringLiteral("content")).toObject();
    if (content.isEmpty()) {
        if (!a.body.isUndefined()) {
            st.answerViolations << QStringLiteral("%1 %2 %3: a body where none is described")
                                       .arg(QString::fromLatin1(method), path)
                                       .arg(a.status);
        }
        return;
    }
    const QJsonValue schema =
        content.value(QString::fromLatin1(a.contentType)).toObject().value(QStringLiteral("schema"));
    if (!schema.isObject()) {
        st.answerViolations << QStringLiteral("%1 %2 %3: content type %4 not described")
                                   .arg(QString::fromLatin1(method), path)
                                   .arg(a.status)
                                   .arg(QString::fromLatin1(a.contentType));
        return;
    }
    const QStringList errors = st.schema->check(a.body, schema);
    if (!errors.isEmpty()) {
        st.answerViolations << QStringLiteral("%1 %2 %3: %4")
                                   .arg(QString::fromLatin1(method), path)
                                   .arg(a.status)
                                   .arg(errors.join(QStringLiteral("; ")));
    }
}

class Server : public QTcpServer
{
public:
    explicit Server(std::shared_ptr<FakeRunPod::State> state)
        : m_state(std::move(state))
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            while (true) {
                const int end = buffer->indexOf("\r\n\r\n");
                if (end < 0) {
                    return;
                }
                const QList<QByteArray> lines = buffer->left(end).split('\n');
                const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
                qint64 length = 0;
                QByteArray auth;
                for (int i = 1; i < lines.size(); ++i) {
                    const int colon = lines[i].indexOf(':');
                    const QByteArray name = lines[i].left(colon).trimmed().toLower();
                    const QByteArray value = lines[i].mid(colon + 1).trimmed();
                    if (name == "content-length") {
                        length = value.toLongLong();
                    } else if (name == "authorization") {
                        auth = value;
                    }
                }
                if (buffer->size() < end + 4 + length) {
                    return;
                }
                const QByteArray body = buffer->mid(end + 4, length);
                buffer->remove(0, int(end + 4 + length));
                const QByteArray method = first.value(0);
                const QUrl url(QString::fromLatin1(first.value(1)));
                const QString path = QUrl::fromPercentEncoding(url.path().toLatin1());
                const Answer a = handle(m_state, method, path, QUrlQuery(url), body, auth);
                checkAnswer(*m_state, method, path, a);
                write(socket, a);
            }
        });
    }

private:
    void write(QTcpSocket *socket, const Answer &a)
    {
        const QByteArray body =
            a.body.isUndefined() ? QByteArray()
                                 : (a.body.isObject() ? QJsonDocument(a.body.toObject()).toJson(QJsonDocument::Compact)
                                                      : QJsonDocument(a.body.toArray()).toJson(QJsonDocument::Compact));
        int remaining = 0;
        int reset = 60;
        {
            QMutexLocker lock(&m_state->mutex);
            const qint64 now = QDateTime::currentSecsSinceEpoch();
            if (now - m_state->minuteStart >= 60) {
                m_state->minuteStart = now;
                m_state->minuteCount = 0;
            }
            ++m_state->minuteCount;
            remaining = qMax(0, 1000 - m_state->minuteCount);
            reset = int(60 - (now - m_state->minuteStart));
        }
        QByteArray out = "HTTP/1.1 " + QByteArray::number(a.status) + ' ' + reasonOf(a.status) + "\r\n";
        if (!body.isEmpty()) {
            out += "Content-Type: " + a.contentType + "\r\n";
        }
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        out += "RateLimit: \"minute\";r=" + QByteArray::number(remaining) + ";t=" + QByteArray::number(reset) +
               ", \"hour\";r=" + QByteArray::number(qMax(0, 30000 - remaining)) + ";t=1800\r\n";
        out += "RateLimit-Policy: \"minute\";q=1000;w=60, \"hour\";q=30000;w=3600\r\n";
        for (const auto &h : a.headers) {
            out += h.first + ": " + h.second + "\r\n";
        }
        out += "\r\n" + body;
        socket->write(out);
    }

    std::shared_ptr<FakeRunPod::State> m_state;
};

class ServerThread : public QThread
{
public:
    std::shared_ptr<FakeRunPod::State> state;
    quint16 port = 0;
    QSemaphore ready;

protected:
    void run() override
    {
        Server server(state);
        if (server.listen(QHostAddress::LocalHost, 0)) {
            port = server.serverPort();
        }
        ready.release();
        if (port != 0) {
            exec();
        }
    }
};

QJsonObject gpuType(const QString &id, const QString &name, int memory, double secure, double community, int maxSecure,
                    int maxCommunity)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("pool"), QJsonValue()},
            {QStringLiteral("manufacturer"), QStringLiteral("NVIDIA")},
            {QStringLiteral("memory"), memory},
            {QStringLiteral("secure"), secure > 0},
            {QStringLiteral("community"), community > 0},
            {QStringLiteral("price"),
             QJsonObject{{QStringLiteral("secure"), secure}, {QStringLiteral("community"), community}}},
            {QStringLiteral("maxCount"),
             QJsonObject{{QStringLiteral("secure"), maxSecure}, {QStringLiteral("community"), maxCommunity}}}};
}

} // namespace

FakeRunPod::FakeRunPod()
    : m_state(std::make_shared<State>())
{
    m_key = QStringLiteral("rpa_test_") + QString::number(QRandomGenerator::system()->generate64(), 16);
    m_state->key = m_key;
    m_state->catalog = {
        gpuType(QStringLiteral("NVIDIA GeForce RTX 4090"), QStringLiteral("RTX 4090"), 24, 0.44, 0.31, 8, 4),
        gpuType(QStringLiteral("NVIDIA H100 80GB HBM3"), QStringLiteral("H100 SXM"), 80, 2.99, 0, 8, 0),
    };
}

FakeRunPod::~FakeRunPod()
{
    stop();
}

bool FakeRunPod::start(QString *error)
{
    QFile spec(specPath());
    if (!spec.open(QIODevice::ReadOnly)) {
        if (error) {
            *error = QStringLiteral("cannot read %1").arg(spec.fileName());
        }
        return false;
    }
    m_state->doc = QJsonDocument::fromJson(spec.readAll()).object();
    m_state->schema = std::make_unique<JsonSchema>(m_state->doc);
    auto thread = std::make_unique<ServerThread>();
    thread->state = m_state;
    thread->start();
    thread->ready.acquire();
    m_port = thread->port;
    if (m_port == 0) {
        thread->wait();
        if (error) {
            *error = QStringLiteral("cannot listen on loopback");
        }
        return false;
    }
    m_thread = std::move(thread);
    return true;
}

void FakeRunPod::stop()
{
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        m_thread.reset();
    }
}

QString FakeRunPod::specPath()
{
    return QStringLiteral(GPUDECK_RUNPOD_SPEC);
}

QString FakeRunPod::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

void FakeRunPod::setSshServer(SshServer *server, QObject *context)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->sshd = server;
    m_state->sshdContext = context;
    m_state->sshPort = server ? server->port() : 0;
    m_state->sshUser = server ? server->user() : QString();
}

void FakeRunPod::setStepReads(int reads)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->stepReads = qMax(1, reads);
}

void FakeRunPod::answer429Next(int count, int retryAfterS)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->answer429 = count;
    m_state->retryAfterS = retryAfterS;
}

QString FakeRunPod::addPod(const QString &name, const QString &status, bool startSsh)
{
    QMutexLocker lock(&m_state->mutex);
    State::Pod p;
    p.id = QStringLiteral("fk%1pod").arg(m_state->nextId++, 4, 10, QLatin1Char('0'));
    p.name = name;
    p.image = QStringLiteral("runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404");
    p.gpuId = QStringLiteral("NVIDIA GeForce RTX 4090");
    p.pricePerGpu = 0.44;
    p.ports = {QStringLiteral("8888/http"), QStringLiteral("22/tcp")};
    p.volume = 20;
    p.volumePath = QStringLiteral("/workspace");
    p.status = status;
    p.startSsh = startSsh;
    p.createdAt = nowIso();
    if (status == QStringLiteral("RUNNING")) {
        p.startedAt = nowIso();
        if (startSsh && m_state->sshd) {
            for (const QString &k : std::as_const(m_state->accountKeys)) {
                m_state->sshd->addAuthorizedKey(k);
            }
        }
    }
    m_state->pods.append(p);
    return p.id;
}

FakeRunPod::PodView FakeRunPod::pod(const QString &id) const
{
    QMutexLocker lock(&m_state->mutex);
    for (const auto &p : std::as_const(m_state->pods)) {
        if (p.id == id) {
            const bool ssh = p.status == QStringLiteral("RUNNING") && p.startSsh;
            return {p.id, p.name, p.status, ssh ? int(m_state->sshPort) : 0, p.createBody};
        }
    }
    return {};
}

QStringList FakeRunPod::podIds() const
{
    QMutexLocker lock(&m_state->mutex);
    QStringList out;
    for (const auto &p : std::as_const(m_state->pods)) {
        out << p.id;
    }
    return out;
}

QStringList FakeRunPod::accountKeys() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->accountKeys;
}

void FakeRunPod::setAccountKeys(const QStringList &keys)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->accountKeys = keys;
}

QStringList FakeRunPod::requests() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->requests;
}

QStringList FakeRunPod::violations() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->violations;
}

QStringList FakeRunPod::answerViolations() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->answerViolations;
}

int FakeRunPod::unauthorized() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->unauthorized;
}

int FakeRunPod::rateLimited() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->limited;
}

} // namespace gpudeck::test
