// risk-loop: replaces Operaton 1.0.3's tasklist config (same path in operaton-webapp-webjar; our
// application's classes come first on the class path). Chinese by default: a browser that asks
// for English still gets en.json, any other language gets zh.json (locales/zh.json, with Beijing
// dates as the browser's time zone shows them). docs/engine.md, "The webapps in Chinese".
export default {
  // form-js's own English texts in Chinese, with the table our inbox uses (scripts/form-zh.js).
  customScripts: ['scripts/form-zh-tasklist.js'],
  app: {
    vendor: '唐河县社会治理风险闭环管理平台',
    name: '任务办理'
  },
  locales: {
    availableLocales: ['zh', 'en'],
    fallbackLocale: 'zh'
  },
  dateFormat: {
    monthName: 'MMMM',
    day: 'DD',
    abbr: 'lll',
    normal: 'LLL',
    long: 'LLLL',
    short: 'LL'
  },
  shortcuts: {
    claimTask: {
      key: 'ctrl+alt+c',
      description: '认领当前选中的任务'
    },
    focusFilter: {
      key: 'ctrl+shift+f',
      description: '跳到第一个筛选器'
    },
    focusList: {
      key: 'ctrl+alt+l',
      description: '跳到任务列表中的第一个任务'
    },
    focusForm: {
      key: 'ctrl+alt+f',
      description: '跳到任务表单的第一个输入框'
    },
    startProcess: {
      key: 'ctrl+alt+p',
      description: '打开“发起流程”对话框'
    }
  }
};
