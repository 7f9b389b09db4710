/** A sample file per job type, offered by the wizard. */
import type { DataJobType } from '../../../shared/enums.js';

export const sampleFiles: Record<DataJobType, string> = {
  invite_to_community: 'Community ID,Unique ID\r\n1,U0000001\r\n1,U0000002\r\n2,U0000001\r\n',
  preverify:
    'Unique ID,First Name,Last Name,Email,Member Type\r\nU1000001,Ada,Lovelace,ada.lovelace@example.edu,Alumni\r\nU1000002,Alan,Turing,,Student\r\n,Grace,Hopper,grace.hopper@example.edu,Faculty/Staff\r\n',
  update_people:
    'Unique ID,First Name,Last Name,Email,Member Type\r\nU0000001,Ada,Lovelace-King,ada.king@example.edu,Alumni\r\nU0000002,,,,Faculty/Staff\r\n',
  deactivate: 'Unique ID\r\nU0000001\r\nU0000002\r\n',
  reactivate: 'Unique ID\r\nU0000001\r\nU0000002\r\n',
};
