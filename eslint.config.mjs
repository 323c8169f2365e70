import tseslint from 'typescript-eslint';

const NO_DEFAULT_EXPORT = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' };
// Text VS Code renders (links in messages, icons in picks and the status bar) is shown only through the
// wrappers of src/common/safeUi.ts, which take text made inert for its surface (server text is data).
const SHOWN_BY_WINDOW = '/^(showInformationMessage|showWarningMessage|showErrorMessage|showQuickPick|createQuickPick|showInputBox|createInputBox|createStatusBarItem|setStatusBarMessage|withProgress)$/';
const SAFE_UI_MESSAGE = 'Show text through src/common/safeUi.ts (showInformation, showPick, showInput, SafeStatusItem, withNotificationProgress…): server text must be made inert for its surface.';
const NO_RAW_WINDOW = [
  { selector: `MemberExpression[object.property.name='window'][property.name=${SHOWN_BY_WINDOW}]`, message: SAFE_UI_MESSAGE },
  { selector: `MemberExpression[object.name='window'][property.name=${SHOWN_BY_WINDOW}]`, message: SAFE_UI_MESSAGE },
];
const NO_RAW_TREE_ITEM = { selector: "NewExpression[callee.property.name='TreeItem']", message: 'Tree rows are made by renderTreeItem (src/explorer/treeProvider.ts), which makes their text inert.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'out-*/**', 'node_modules/**', '*.mjs', '.vscode-test/**', 'test-results/**', 'bench/.build/**', 'bench/**/*.cjs', 'bench/**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', NO_DEFAULT_EXPORT],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', NO_DEFAULT_EXPORT, ...NO_RAW_WINDOW, NO_RAW_TREE_ITEM] },
  },
  {
    files: ['src/common/safeUi.ts'],
    rules: { 'no-restricted-syntax': ['error', NO_DEFAULT_EXPORT, NO_RAW_TREE_ITEM] },
  },
  {
    files: ['src/explorer/treeProvider.ts'],
    rules: { 'no-restricted-syntax': ['error', NO_DEFAULT_EXPORT, ...NO_RAW_WINDOW] },
  },
  {
    files: ['src/api/**/*.ts', 'src/emulator/**/*.ts', 'src/ssh/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/api, src/emulator and src/ssh run in plain Node: no vscode here.' }] }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
    },
  },
);
