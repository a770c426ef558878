import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Rollbacks waiting for approval, each with Approve and Reject (with a comment). The buttons
// are enabled only when the signed-in user may decide (the model's canDecide: the approver
// role of the environment, not their own request, not decided yet, not expired); the server
// still checks. `commands` runs the decisions.
ListView {
    id: root
    objectName: "approvalList"
    property var commands
    clip: true
    spacing: 8
    implicitHeight: contentHeight
    boundsBehavior: Flickable.StopAtBounds

    delegate: Frame {
        id: card
        required property var rollbackId
        required property string summary
        required property string reason
        required property string requestedBy
        required property var createdAt
        required property var expiresAt
        required property int approvals
        required property int needed
        required property var approvers
        required property bool canDecide
        required property string whyNot
        objectName: "approval-" + rollbackId
        width: ListView.view.width
        padding: 12
        background: Rectangle {
            radius: 6
            color: "transparent"
            border.color: "#ef8f00"
            border.width: 2
        }

        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: 6
            RowLayout {
                Layout.fillWidth: true
                Label {
                    text: qsTr("Rollback #%1").arg(card.rollbackId)
                    font.bold: true
                    font.pixelSize: 16
                }
                StateBadge { state: "awaiting_approval" }
                Item { Layout.fillWidth: true }
                Label {
                    text: qsTr("Approvals: %1 of %2").arg(card.approvals).arg(card.needed)
                    font.bold: true
                }
            }
            Label { text: card.summary; font.bold: true; Layout.fillWidth: true; wrapMode: Text.Wrap }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                opacity: 0.75
                text: qsTr("Requested by %1 at %2: %3").arg(card.requestedBy)
                      .arg(Qt.formatDateTime(card.createdAt, "HH:mm:ss")).arg(card.reason)
            }
            Label {
                visible: card.approvers.length > 0
                opacity: 0.75
                text: qsTr("Approved by %1").arg(card.approvers.join(", "))
            }
            Label {
                visible: !isNaN(card.expiresAt)
                opacity: 0.75
                text: qsTr("Expires at %1").arg(Qt.formatDateTime(card.expiresAt, "HH:mm:ss"))
            }
            TextField {
                id: comment
                objectName: "approvalComment"
                Layout.fillWidth: true
                placeholderText: qsTr("Comment (optional)")
                enabled: card.canDecide
            }
            RowLayout {
                Button {
                    objectName: "approveButton"
                    text: qsTr("Approve")
                    highlighted: true
                    enabled: card.canDecide && !(root.commands && root.commands.busy)
                    onClicked: root.commands.approve(card.rollbackId, comment.text)
                }
                Button {
                    objectName: "rejectButton"
                    text: qsTr("Reject")
                    enabled: card.canDecide && !(root.commands && root.commands.busy)
                    onClicked: root.commands.reject(card.rollbackId, comment.text)
                }
                Label {
                    objectName: "whyNot"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    visible: !card.canDecide
                    opacity: 0.75
                    text: card.whyNot
                }
            }
        }
    }

    Label {
        visible: root.count === 0
        text: qsTr("No rollback waits for approval")
        opacity: 0.6
    }
}
