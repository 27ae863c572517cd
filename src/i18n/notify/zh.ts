import type { Messages } from '../index.ts';
import type { en } from './en.ts';

export const zh: Messages<keyof typeof en> = {
  verification: 'OpenCEIR 验证码 {code}，用于报告 {reference}，{minutes} 分钟内有效。请勿告诉他人。',
  blocked: 'OpenCEIR：报告 {reference} 已核实。该手机现已在所有网络上被封锁。{link}',
  tracked: 'OpenCEIR：报告 {reference} 已核实。该手机仍可使用，每次使用都会通报警方。{link}',
  seen: 'OpenCEIR：报告 {reference} 中的手机于世界协调时 {time} 在网络上被使用。已通知警方。{link}',
  recovered: 'OpenCEIR：报告 {reference} 中的手机已标记为找回。解除封锁请访问：{link}',
  closed: 'OpenCEIR：报告 {reference} 已结案，该手机不再被封锁。',
  'appeal-received': 'OpenCEIR：已收到申诉 {reference}，将在 {days} 天内作出决定。查看进度：{link}',
  'appeal-decided': 'OpenCEIR：申诉 {reference} 已有决定：{outcome}。详情：{link}',
  'outcome.upheld': '维持封锁',
  'outcome.overturned': '解除封锁',
  'outcome.partly-overturned': '部分解除封锁',
};
