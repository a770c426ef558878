#include "syncrest.h"

#include <QEventLoop>

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

} // namespace rwd::client
