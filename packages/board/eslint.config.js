import { pureCore } from "@convivio/config/eslint";

export default pureCore;
