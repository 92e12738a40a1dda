import { createApp, type Plugin } from "vue";
// Only the Element Plus components the console uses (the whole library would double the script).
import {
  ElAlert, ElBadge, ElButton, ElCard, ElCheckbox, ElCol, ElCollapse, ElCollapseItem, ElConfigProvider, ElDatePicker,
  ElDescriptions, ElDescriptionsItem, ElDialog, ElForm, ElFormItem, ElInput, ElInputNumber, ElLoading, ElOption,
  ElRadio, ElRadioButton, ElRadioGroup, ElRow, ElSelect, ElSwitch, ElTable, ElTableColumn, ElTag, ElTimeline,
  ElTimelineItem, ElTimeSelect, ElSkeleton, ElSkeletonItem,
} from "element-plus";
import "element-plus/dist/index.css";
import "./style.css";
import App from "./App.vue";
import { router } from "./router";

const app = createApp(App);
const used: Plugin[] = [
  ElAlert, ElBadge, ElButton, ElCard, ElCheckbox, ElCol, ElCollapse, ElCollapseItem, ElConfigProvider, ElDatePicker,
  ElDescriptions, ElDescriptionsItem, ElDialog, ElForm, ElFormItem, ElInput, ElInputNumber, ElLoading, ElOption,
  ElRadio, ElRadioButton, ElRadioGroup, ElRow, ElSelect, ElSwitch, ElTable, ElTableColumn, ElTag, ElTimeline,
  ElTimelineItem, ElTimeSelect, ElSkeleton, ElSkeletonItem,
];
used.forEach((p) => app.use(p));
app.use(router).mount("#app");
