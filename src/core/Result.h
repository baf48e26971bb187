#pragma once

#include <QJsonObject>
#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace gpudeck {

// Why an operation failed. Mapped to HTTP statuses in api/ErrorMapping.cpp and to dialog text by the GUI:
// errors are values inside the core, turned into something else in exactly one place each.
enum class ErrorCode {
    NotFound,
    Validation,
    Conflict,
    Forbidden,   // refused by a safety rule (e.g. the exec guard) unless explicitly overridden
    Unavailable, // something GPU Deck depends on is not there (keychain, a free port)
    Upstream,    // a remote host failed or refused (connect, authentication, host key)
    Timeout,
    Cancelled,
    Internal,
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    QString field;       // the offending input field, when there is one
    QString reason;      // a machine-readable refinement, e.g. "host_key_unknown"; the API uses it as its code
    QJsonObject details; // extra facts a caller can act on, e.g. {"fingerprint": "SHA256:..."}

    static Error notFound(const QString &message) { return {ErrorCode::NotFound, message, {}, {}, {}}; }
    static Error validation(const QString &field, const QString &message)
    {
        return {ErrorCode::Validation, message, field, {}, {}};
    }
    static Error conflict(const QString &message) { return {ErrorCode::Conflict, message, {}, {}, {}}; }
    static Error internal(const QString &message) { return {ErrorCode::Internal, message, {}, {}, {}}; }
    static Error make(ErrorCode code, const QString &reason, const QString &message, QJsonObject details = {})
    {
        return {code, message, {}, reason, std::move(details)};
    }
};

// A value or the reason there is none.
template<typename T>
class [[nodiscard]] Result
{
public:
    // Default: "no result yet" (QFuture needs default-constructible results).
    Result()
        : m_data(Error::internal(QStringLiteral("no result")))
    {
    }
    Result(T value)
        : m_data(std::move(value))
    {
    }
    Result(Error error)
        : m_data(std::move(error))
    {
    }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// For operations that return nothing but can fail.
class [[nodiscard]] Status
{
public:
    Status() = default;
    Status(Error error)
        : m_error(std::move(error))
    {
    }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace gpudeck
