import QtQuick
import QtQuick.Controls

// A rounded label for a rollback or step state.
Rectangle {
    id: root
    required property string state
    implicitWidth: label.implicitWidth + 14
    implicitHeight: label.implicitHeight + 6
    radius: height / 2
    color: {
        switch (root.state) {
        case "succeeded": return "#e3f1e4"
        case "failed": case "needs_attention": case "aborted": return "#fbe3e3"
        case "running": case "verifying": case "approved": return "#e2ecfb"
        case "awaiting_approval": return "#fff3d6"
        default: return "#ececec"
        }
    }

    Label {
        id: label
        anchors.centerIn: parent
        font.pixelSize: 12
        font.bold: true
        text: root.state.replace("_", " ")
        color: {
            switch (root.state) {
            case "succeeded": return "#1b5e20"
            case "failed": case "needs_attention": case "aborted": return "#b71c1c"
            case "running": case "verifying": case "approved": return "#0d47a1"
            case "awaiting_approval": return "#8a5a00"
            default: return "#555555"
            }
        }
    }
}
