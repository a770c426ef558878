// Fuzz target for what API clients send: any bytes given to the decoders of REST bodies
// (POST /api/v1/deployments, POST /api/v1/rollbacks) and WebSocket messages must give a request
// or an error with a stable code and a message — never a crash, a hang or an error without a
// reason.
#include "api/requests.h"
#include "common/result.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

template<typename T>
void check(const rwd::Result<T> &result)
{
    if (!result) {
        if (result.error().code.isEmpty() || result.error().message.isEmpty())
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    check(rwd::api::parseDeploymentRequest(bytes));
    check(rwd::api::parseRollbackRequest(bytes));
    const auto message = rwd::api::parseClientMessage(bytes);
    check(message);
    if (message) {
        if (message->type != QLatin1String("auth") && message->type != QLatin1String("ping"))
            std::abort(); // only known types are let through
    }
    return 0;
}
