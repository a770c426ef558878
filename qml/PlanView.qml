import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A dry-run plan: the targets (version from → to) and the steps in order.
Frame {
    id: root
    objectName: "planView"
    property var plan: ({})
    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 4
        Label {
            text: qsTr("Plan (%1)").arg(root.plan["class"] ?? "")
            font.bold: true
        }
        Label {
            visible: (root.plan.approvalsNeeded ?? 0) > 0
            color: "#8a5a00"
            text: qsTr("Needs %1 approval(s) before it runs").arg(root.plan.approvalsNeeded ?? 0)
        }
        Repeater {
            model: root.plan.targets ?? []
            delegate: Label {
                required property var modelData
                text: qsTr("%1: %2 → %3 (%4)").arg(modelData.service).arg(modelData.fromVersion)
                      .arg(modelData.toVersion).arg(modelData.strategy)
                font.bold: true
            }
        }
        Repeater {
            model: root.plan.steps ?? []
            delegate: Label {
                required property var modelData
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: (modelData.index + 1) + ". " + modelData.description
                      + (modelData.onFailure ? "  " + qsTr("(only if a step fails)") : "")
            }
        }
    }
}
