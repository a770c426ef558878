#include "syncrest.h"

#include <QEventLoop>
#include <QTimer>

namespace rwd::client {

RestResult callAndWait(RestClient &rest, const QByteArray &method, const QString &path,
                       const QJsonObject &body)
{
    RestResult result;
    QEventLoop loop;
    const auto done = [&](const RestResult &r) {
        result = r;
        loop.quit();
    };
    if (method == "GET")
        rest.get(path, done);
    else
        rest.send(method, path, body, done);
    loop.exec();
    return result;
}

RestResult fetchAndWait(RestClient &rest, const QString &path, QByteArray *body)
{
    auto r = callAndWait(rest, "GET", path);
    *body = r.raw;
    return r;
}

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace rwd::client
