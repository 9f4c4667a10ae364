// risk-loop: replaces Operaton 1.0.3's admin config (same path in operaton-webapp-webjar; our
// application's classes come first on the class path). Chinese by default: a browser that asks
// for English still gets en.json, any other language gets zh.json (locales/zh.json, with Beijing
// dates as the browser's time zone shows them). docs/engine.md, "The webapps in Chinese".
export default {
  app: {
    vendor: '唐河县社会治理风险闭环管理平台',
    name: '系统管理'
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
};
