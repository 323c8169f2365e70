// Where Run on ModelArts runs: the folder or file it was given, the active editor's file, or the (picked)
// workspace folder, and the run configuration of that workspace folder.

import * as vscode from 'vscode';
import { CancelledByUser } from '../registry';
import { RUN_CONFIG_FILE, RUN_CONFIG_FOLDER } from './runConfig';

/** The argument of Run Again: the configuration to run, with no question. */
export interface RunAgain {
  readonly runAgain: string;
}

export const isRunAgain = (arg: unknown): arg is RunAgain => typeof arg === 'object' && arg !== null && typeof (arg as RunAgain).runAgain === 'string';

export interface RunPlace {
  /** The workspace folder holding `.modelarts/`. */
  workspaceFolder: vscode.WorkspaceFolder;
  configUri: vscode.Uri;
  /** The folder or file the command was run on. */
  target: vscode.Uri | undefined;
  /** True when the target is a folder. */
  targetIsFolder: boolean;
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function configUriOf(folder: vscode.WorkspaceFolder): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, RUN_CONFIG_FOLDER, RUN_CONFIG_FILE);
}

/** Where the command runs: the folder or file given, the active editor's file, or the (picked) workspace folder. */
export async function placeOf(arg: unknown): Promise<RunPlace> {
  if (isRunAgain(arg)) {
    const configUri = vscode.Uri.parse(arg.runAgain);
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(configUri);
    if (!workspaceFolder) throw new Error(vscode.l10n.t('The folder of this run is no longer open in VS Code.'));
    return { workspaceFolder, configUri, target: undefined, targetIsFolder: false };
  }
  const given = arg instanceof vscode.Uri ? arg : undefined;
  const editor = vscode.window.activeTextEditor?.document.uri;
  const target = given ?? (editor && editor.scheme === 'file' ? editor : undefined);
  if (target) {
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(target);
    if (!workspaceFolder) {
      if (given) throw new Error(vscode.l10n.t('Run on ModelArts runs code in a folder open in VS Code: open the folder of {0} first.', vscode.workspace.asRelativePath(target)));
    } else {
      return { workspaceFolder, configUri: configUriOf(workspaceFolder), target, targetIsFolder: await isFolder(target) };
    }
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) throw new Error(vscode.l10n.t('Open the folder of your code first: Run on ModelArts runs a folder open in VS Code.'));
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Folder to run on ModelArts') });
  if (!folder) throw new CancelledByUser();
  return { workspaceFolder: folder, configUri: configUriOf(folder), target: undefined, targetIsFolder: false };
}
